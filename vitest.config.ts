import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

/**
 * Every test runs inside workerd with the bindings of wrangler.toml: real D1 (migrations from
 * `migrations/` applied in test/setup.ts), real Queues with their consumers, real Durable Objects.
 */
const migrations = await readD1Migrations("./migrations");

export default defineConfig({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: "./wrangler.toml" },
      miniflare: {
        bindings: {
          TEST_MIGRATIONS: migrations,
          API_KEYS: "test-key-1,test-key-2",
          JWT_SECRET: "test-jwt-secret-0123456789abcdef0123456789abcdef",
          // The keyring that seals stored webhook secrets (src/lib/secret-box.ts): one 32-byte key.
          SECRET_KEYS: "t1:dGVzdC1zZWNyZXQta2V5LTAxMjM0NTY3ODlhYmNkZWY",
          // Sync webhooks go to a plain-http receiver on 127.0.0.1, with short timeouts and delays.
          ALLOW_HTTP_WEBHOOKS: "true",
          SYNC_TIMEOUT_MS: "1000",
          SYNC_RETRY_BASE_SECONDS: "1",
          SYNC_RETRY_CAP_SECONDS: "2",
          SYNC_MAX_ATTEMPTS: "4",
          // Push subscriptions in the tests use example hosts, added to the known push services.
          PUSH_ENDPOINT_HOSTS: "push.example.com,push.example.net",
        },
        // A limiter with a tiny limit, swapped in for API_KEY_RATE_LIMIT by the rate-limit tests
        // (test/integration/security-rate-limits.test.ts): the real 10,000 per 10 s is shared by
        // every test file's API key and cannot be exhausted quickly.
        ratelimits: {
          TEST_TINY_RATE_LIMIT: { namespace_id: "9199", simple: { limit: 3, period: 10 } },
        },
      },
    }),
  ],
  test: {
    include: ["test/unit/**/*.test.ts", "test/integration/**/*.test.ts"],
    setupFiles: ["./test/setup.ts"],
    globalSetup: ["./test/global-setup.ts"],
    // Two test files at a time, each in its own workerd (isolated storage). Vitest's default on a
    // 2-core machine is one (cores - 1), which leaves the CPU idle while a file waits on queue
    // batch timeouts, alarms and retry delays — most of the suite's wall time.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Structured request logs are noise for passing tests; a failing test still shows its output.
    silent: "passed-only",
    // CI (.ci/run) reads the counts from a JSON report next to the usual output.
    reporters: process.env.CI ? ["default", ["json", { outputFile: ".ci/vitest-report.json" }]] : ["default"],
  },
});
