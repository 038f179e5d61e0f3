/**
 * README.md's tour runs green (issue 19, the first hour): `npm run demo -- --tour` against the
 * Herald the e2e harness started — every background result (the like's count, the owner
 * notification, the SMS in the outbox, the dead letter, the sync attempt) arrives within its wait.
 * And `npm run token -- <userId>` prints a token that Herald accepts for that user.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { verifyUserToken } from "../../src/lib/auth";
import { apiKey, base } from "./harness";

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, "../..");
const NODE = process.execPath;
const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe("the README tour", () => {
  it("npm run demo -- --tour passes every step against a running Herald, printing each request and result", async () => {
    const { stdout } = await run(NODE, [join(ROOT, "scripts/demo.ts"), "--tour", `--base=${base()}`], {
      cwd: ROOT,
      env: { ...process.env, HERALD_API_KEY: apiKey() },
      timeout: 150_000,
    });
    expect(stdout).toContain("Every step of the tour passed.");
    // Each background wait is announced and reports what it found.
    for (const wait of ["the like counted", "the owner notification \"New like\"", "its SMS in the outbox", "its dead letter", "u-42's user.created delivery attempted"]) {
      expect(stdout).toMatch(new RegExp(`… ${wait.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}[^\\n]*\\n\\s+→ after \\d+ ms: `));
    }
    expect(stdout).toContain("$ POST /v1/behaviours");
    expect(stdout).toMatch(/→ after \d+ ms: \{"like":1,/);
    expect(stdout).toContain("Idempotent-Replayed: true");
    // The dead letter says what it was about: the topic and the user.
    expect(stdout).toMatch(/… its dead letter[^\n]*\n\s+→ after \d+ ms: \{"id":"\w+","subject":\{"topic":"wallet\.recharged","target":"wallet_recharged","recipient":"dev-user"/);
  }, 180_000);

  it("fails loudly, naming the step, the request and the last answer, when a background result does not arrive in time", async () => {
    // 1 ms: one look, then the deadline has passed. Whatever step first has to wait for a queue
    // consumer (the like on a fresh server, the topic message on a later run) cannot be done yet.
    const error = await run(NODE, [join(ROOT, "scripts/demo.ts"), "--tour", `--base=${base()}`, "--wait-ms=1"], {
      cwd: ROOT,
      env: { ...process.env, HERALD_API_KEY: apiKey() },
      timeout: 60_000,
    }).catch((e: { code: number; stdout: string; stderr: string }) => e);
    expect(error).toMatchObject({ code: 1 });
    const { stdout, stderr } = error as { stdout: string; stderr: string };
    expect(stderr).toMatch(/✗ .+: GET \/v1\/\S+ did not show it within 1 ms; last answer \d{3} /);
    expect(stdout.trimEnd().split("\n").at(-1)).toMatch(/^ {2}… .+: polling GET \/v1\/\S+ every 200 ms$/);
    expect(stdout).not.toContain("Every step of the tour passed.");
  });

  it("fails loudly when Herald does not answer", async () => {
    const error = await run(NODE, [join(ROOT, "scripts/demo.ts"), "--tour", "--base=http://127.0.0.1:9"], { cwd: ROOT, env: { ...process.env, HERALD_API_KEY: "k" }, timeout: 30_000 }).catch((e: { code: number; stderr: string }) => e);
    expect(error).toMatchObject({ code: 1 });
    expect((error as { stderr: string }).stderr).toContain("no Herald answers at http://127.0.0.1:9");
  });
});

describe("npm run token", () => {
  it("prints a 24 h token for the user from .dev.vars's JWT_SECRET, which the Worker's verifier accepts", async () => {
    const dir = mkdtempSync(join(tmpdir(), "herald-token-"));
    dirs.push(dir);
    const secret = "tour-test-secret-0123456789abcdef0123456789";
    writeFileSync(join(dir, ".dev.vars"), `API_KEYS=hk_dev_x\nJWT_SECRET=${secret}\n`);
    const { stdout, stderr } = await run(NODE, [join(ROOT, "scripts/token.ts"), "ada"], { cwd: dir, timeout: 30_000 });
    const token = stdout.trim();
    expect(token.split(".")).toHaveLength(3);
    expect(stderr).toMatch(/User token for "ada", valid until /);
    const claims = await verifyUserToken({ secret, audience: "herald" }, token);
    expect(claims.userId).toBe("ada");
    expect(claims.exp - Math.floor(Date.now() / 1000)).toBeGreaterThan(86_400 - 60);

    const missing = await run(NODE, [join(ROOT, "scripts/token.ts"), "ada"], { cwd: tmpdir(), timeout: 30_000 }).catch((e: { code: number; stderr: string }) => e);
    expect(missing).toMatchObject({ code: 1, stderr: expect.stringContaining("npm start") });
  });
});
