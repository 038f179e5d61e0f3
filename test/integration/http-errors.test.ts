/**
 * The HTTP layer (docs/api.md#errors): every bad input gets its RFC 9457 problem+json with a stable code
 * and changes nothing; every response carries X-Request-Id.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { api, freshId } from "../helpers";

async function expectProblem(res: Response, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toBe("application/problem+json");
  expect(res.headers.get("x-request-id")).toMatch(/^[0-9A-Z]{26}$/);
  const body = (await res.json()) as Record<string, unknown>;
  expect(body).toMatchObject({ status, code, title: expect.any(String), detail: expect.any(String), type: expect.stringContaining(code.replaceAll("_", "-")) });
  expect(JSON.stringify(body)).not.toMatch(/at .*\.(ts|js):\d+/); // never a stack trace
  return body;
}

async function notificationCount(userId: string) {
  const row = await env.DB.prepare("SELECT COUNT(*) AS n FROM notifications WHERE user_id = ?").bind(userId).first<{ n: number }>();
  return row?.n ?? 0;
}

describe("problem+json errors", () => {
  it("refuses malformed JSON with malformed_json and writes nothing", async () => {
    const userId = freshId();
    const res = await api("/v1/notifications", { method: "POST", body: `{"userId":"${userId}","title":`, headers: { "content-type": "application/json" } });
    await expectProblem(res, 400, "malformed_json");
    expect(await notificationCount(userId)).toBe(0);
  });

  it("refuses a non-JSON content type with 415", async () => {
    const userId = freshId();
    const res = await api("/v1/notifications", { method: "POST", body: JSON.stringify({ userId, title: "x" }), headers: { "content-type": "text/plain" } });
    await expectProblem(res, 415, "unsupported_media_type");
    expect(await notificationCount(userId)).toBe(0);
  });

  it("refuses a body over 1 MiB with 413", async () => {
    const userId = freshId();
    const body = JSON.stringify({ userId, title: "x", body: "y".repeat(1024 * 1024) });
    const res = await api("/v1/notifications", { method: "POST", body, headers: { "content-type": "application/json" } });
    await expectProblem(res, 413, "payload_too_large");
    expect(await notificationCount(userId)).toBe(0);
  });

  it("refuses notification data over 16 KiB with 413", async () => {
    const userId = freshId();
    const res = await api("/v1/notifications", { method: "POST", json: { userId, title: "x", data: { blob: "z".repeat(17 * 1024) } } });
    await expectProblem(res, 413, "payload_too_large");
    expect(await notificationCount(userId)).toBe(0);
  });

  it("lists every validation error with its path", async () => {
    const userId = freshId();
    const res = await api("/v1/notifications", { method: "POST", json: { userId, title: "x", priority: "urgent", channels: ["pigeon"], extra: 1 } });
    const body = await expectProblem(res, 400, "validation_failed");
    const paths = (body.errors as { path: string; message: string }[]).map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(["priority", "channels.0"]));
    expect((body.errors as { message: string }[]).every((e) => e.message.length > 0)).toBe(true);
    expect(await notificationCount(userId)).toBe(0);
  });

  it("requires template xor title/body", async () => {
    const userId = freshId();
    const both = await api("/v1/notifications", { method: "POST", json: { userId, title: "x", template: "behaviour.like" } });
    await expectProblem(both, 400, "validation_failed");
    const neither = await api("/v1/notifications", { method: "POST", json: { userId } });
    await expectProblem(neither, 400, "validation_failed");
    expect(await notificationCount(userId)).toBe(0);
  });

  it("refuses a cursor this API did not make, on every paginated list", async () => {
    for (const path of ["/v1/templates", "/v1/topics", "/v1/dead-letters", "/v1/outbox", "/v1/sync/targets", "/v1/sync/deliveries", "/v1/users/u1/notifications"]) {
      const body = await expectProblem(await api(`${path}?cursor=bm90LWEtY3Vyc29y`), 400, "validation_failed");
      expect(body.errors).toEqual([{ path: "cursor", message: expect.any(String) }]);
    }
  });

  it("pages through a list with nextCursor until null", async () => {
    const names = Array.from({ length: 5 }, (_, i) => `zz_page_${crypto.randomUUID().slice(0, 6)}_${i}`);
    for (const name of names) await api(`/v1/topics/${name}`, { method: "PUT" });
    const seen: string[] = [];
    let cursor: string | null = "";
    for (let guard = 0; cursor !== null && guard < 50; guard++) {
      const page = (await (await api(`/v1/topics?limit=7${cursor ? `&cursor=${cursor}` : ""}`)).json()) as { items: { name: string }[]; nextCursor: string | null };
      seen.push(...page.items.map((t) => t.name));
      cursor = page.nextCursor;
    }
    expect(cursor).toBeNull();
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(expect.arrayContaining(names));
  });

  it("answers unknown routes with not_found", async () => {
    await expectProblem(await api("/v1/nope"), 404, "not_found");
    await expectProblem(await api("/nope", { auth: null }), 404, "not_found");
  });

  it("answers a missing template with a validation error and a missing variable with 422 naming it", async () => {
    const userId = freshId();
    await expectProblem(await api("/v1/notifications", { method: "POST", json: { userId, template: "no.such" } }), 400, "validation_failed");
    const res = await api("/v1/notifications", { method: "POST", json: { userId, template: "behaviour.like", data: { actorId: "a" } } });
    const body = await expectProblem(res, 422, "template_invalid");
    expect(body.errors).toEqual([{ path: "data.targetId", message: expect.stringContaining("targetId") }]);
    expect(await notificationCount(userId)).toBe(0);
  });
});

describe("system routes", () => {
  it("serves /health without auth, with a request id", async () => {
    const res = await api("/health", { auth: null });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-request-id")).toBeTruthy();
    expect(await res.json()).toEqual({ status: "ok", checks: { d1: "ok", storage: "ok", config: "ok" } });
  });

  it("generates the OpenAPI 3.1 document from the routes", async () => {
    const res = await api("/openapi.json", { auth: null });
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(doc.openapi).toBe("3.1.0");
    for (const path of ["/v1/notifications", "/v1/notifications/{id}", "/v1/me/connect", "/v1/me/notifications", "/v1/users/{userId}/tokens", "/health"]) {
      expect(Object.keys(doc.paths)).toContain(path);
    }
    expect(Object.keys(doc.paths["/v1/notifications"]!)).toEqual(expect.arrayContaining(["post", "get"]));
  });

  it("serves an interactive reference at /docs", async () => {
    const res = await api("/docs", { auth: null });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("/openapi.json");
    expect(html.toLowerCase()).toContain("<html");
  });
});
