import { defineConfig } from "vitest/config";

/**
 * The client package's tests (packages/client/test): they run in Node, as the package's users
 * do, against a real `wrangler dev` Herald that test/e2e/global-setup.ts starts once (dev tokens
 * on). The tarball test builds, packs and installs the package into a temporary project.
 */
export default defineConfig({
  test: {
    environment: "node",
    include: ["packages/client/test/**/*.test.ts"],
    globalSetup: ["./test/e2e/global-setup.ts"],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
    reporters: process.env.CI ? ["default", ["json", { outputFile: ".ci/vitest-package-report.json" }]] : ["default"],
  },
});
