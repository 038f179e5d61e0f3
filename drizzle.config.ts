import { defineConfig } from "drizzle-kit";

/** drizzle-kit writes SQL migrations into the folder wrangler (`migrations_dir`) and the tests read. */
export default defineConfig({
  dialect: "sqlite",
  schema: "./src/db/schema.ts",
  out: "./migrations",
});
