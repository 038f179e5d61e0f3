import { applyD1Migrations } from "cloudflare:test";
import { env } from "cloudflare:workers";

// Real migrations from migrations/ (read in vitest.config.ts), applied to each test file's
// isolated D1 before its tests run. applyD1Migrations skips ones already applied.
await applyD1Migrations(env.DB, (env as unknown as { TEST_MIGRATIONS: Parameters<typeof applyD1Migrations>[1] }).TEST_MIGRATIONS);
