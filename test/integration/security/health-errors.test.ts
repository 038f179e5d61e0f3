/**
 * `/health` names the failing check but never echoes internal error text (issue 14): anyone may
 * call it, and a driver's message can carry SQL, hostnames or credentials. The detail goes to the
 * log under the request id instead.
 */
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createApp } from "../../../src/app";
import { instrumentD1 } from "../../d1-proxy";
import { BASE } from "../../helpers";

const SECRET_LOOKING = "D1_ERROR: connect to db-internal.corp:5432 as admin password=hunter2-s3cr3t failed";

afterEach(() => vi.restoreAllMocks());

describe("/health when D1 fails", () => {
  it("answers 503 naming d1, without the error's text; the log carries it with the request id", async () => {
    const failingDb = instrumentD1(env.DB, {
      before() {
        throw new Error(SECRET_LOOKING);
      },
    });
    const logged: string[] = [];
    vi.spyOn(console, "error").mockImplementation((line: unknown) => void logged.push(String(line)));

    const res = await createApp().fetch(new Request(`${BASE}/health`), { ...env, DB: failingDb });

    expect(res.status).toBe(503);
    const text = await res.text();
    expect(text).not.toContain("hunter2");
    expect(text).not.toContain("db-internal");
    expect(text).not.toContain("D1_ERROR");
    const body = JSON.parse(text) as { status: string; checks: Record<string, string> };
    expect(body.status).toBe("degraded");
    expect(body.checks.d1).toBe("error");
    // The storage check is not run without D1, and is not reported as passing.
    expect(body.checks.storage).toBeUndefined();

    const requestId = res.headers.get("x-request-id");
    expect(requestId).toBeTruthy();
    const line = logged.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.msg === "health check failed");
    expect(line).toMatchObject({ check: "d1", requestId });
    expect(String(line?.error)).toContain("hunter2");
  });

  it("still answers 200 with every check ok when D1 answers", async () => {
    const res = await createApp().fetch(new Request(`${BASE}/health`), env);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "ok", checks: { d1: "ok", storage: "ok", config: "ok" } });
  });
});
