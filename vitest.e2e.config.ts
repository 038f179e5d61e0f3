import { defineConfig } from "vitest/config";

/**
 * Browser tests (test/e2e): they run in Node, not workerd — Node drives Debian's Chromium with
 * playwright-core against a real `wrangler dev` that test/e2e/global-setup.ts starts once for all
 * files. Files run one after another: each launches its own Chromium, and two browsers plus
 * workerd at once would make the timing assertions depend on the machine's core count.
 */
export default defineConfig({
  test: {
    environment: "node",
    include: ["test/e2e/**/*.test.ts"],
    globalSetup: ["./test/e2e/global-setup.ts"],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // CI (.ci/run) adds these counts to the workerd tests' from .ci/vitest-report.json.
    reporters: process.env.CI ? ["default", ["json", { outputFile: ".ci/vitest-e2e-report.json" }]] : ["default"],
  },
});
