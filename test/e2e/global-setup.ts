/**
 * Starts the Herald the browser tests drive: `wrangler dev` on free 127.0.0.1 ports with fresh
 * local D1/Queues/Durable Objects in a temp dir (scripts/local-server.ts), built the way
 * `npm start` builds it — wrangler.toml's `[build]` bundles the page client. The env file turns on
 * dev tokens (the /inbox page signs in with them) and plain-http webhooks (the console test's
 * receiver listens on 127.0.0.1); `GET /__scheduled` runs the cron once (the metrics test samples
 * the stats history with it). Tests read the origin and API key with `inject()`.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { startLocalServer } from "../../scripts/local-server";

declare module "vitest" {
  export interface ProvidedContext {
    heraldBase: string;
    heraldApiKey: string;
  }
}

export default async function setup(project: TestProject) {
  const workDir = mkdtempSync(join(tmpdir(), "herald-e2e-"));
  const removeWorkDir = () => rmSync(workDir, { recursive: true, force: true });
  let server;
  try {
    server = await startLocalServer({ workDir, vars: { ALLOW_DEV_TOKENS: "true", ALLOW_HTTP_WEBHOOKS: "true" }, testScheduled: true });
  } catch (error) {
    removeWorkDir();
    throw error;
  }
  // A crash of the test process must not leave wrangler and workerd running.
  const killOnExit = () => server.kill();
  process.once("exit", killOnExit);
  project.provide("heraldBase", server.base);
  project.provide("heraldApiKey", server.apiKey);
  return async () => {
    process.off("exit", killOnExit);
    await server.stop({ force: true });
    removeWorkDir();
  };
}
