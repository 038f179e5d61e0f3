/**
 * Signed webhook delivery to sync targets (docs/api.md#user-sync) against a real local HTTP receiver that
 * verifies every signature with the standardwebhooks library.
 */
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { api, freshId, waitFor } from "../helpers";
import { clearTargets, controlReceiver, createTarget, putUser, received, receiverUrl, waitForState } from "../sync-helpers";

interface Delivery {
  id: string;
  status: string;
  attempts: number;
  latencyMs: number | null;
  lastError: string | null;
  lastStatusCode: number | null;
  nextAttemptAt: string | null;
  type: string;
  version: number;
  userId: string;
}

async function deliveries(targetId: string, status?: string): Promise<Delivery[]> {
  const res = await api(`/v1/sync/deliveries?targetId=${targetId}${status ? `&status=${status}` : ""}&limit=200`);
  return ((await res.json()) as { items: Delivery[] }).items;
}

beforeEach(clearTargets);

describe("targets", () => {
  it("returns the whsec_ secret once, stores it encrypted, never lists it", async () => {
    const target = await createTarget();
    expect(target.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const list = await (await api("/v1/sync/targets")).text();
    expect(list).toContain(target.id);
    expect(list).not.toContain(target.secret);
    expect(list).not.toContain("secret\":\"whsec");
    const row = await env.DB.prepare("SELECT secret FROM sync_targets WHERE id = ?").bind(target.id).first<{ secret: string }>();
    expect(row!.secret).not.toContain(target.secret.slice(6));
  });

  it("refuses http URLs unless development allows them, and validates events", async () => {
    const res = await api("/v1/sync/targets", { method: "POST", json: { name: "x", url: "ftp://example.com", events: ["user.nope"] } });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { errors: { path: string }[] }).errors.map((e) => e.path)).toEqual(expect.arrayContaining(["url", "events.0"]));
  });

  it("PATCHes url, events and enabled, and deletes", async () => {
    const target = await createTarget();
    const patched = await api(`/v1/sync/targets/${target.id}`, { method: "PATCH", json: { events: ["user.deleted"], enabled: false } });
    expect(await patched.json()).toMatchObject({ id: target.id, events: ["user.deleted"], enabled: false });
    expect((await api(`/v1/sync/targets/${target.id}`, { method: "DELETE" })).status).toBe(204);
    expect((await api(`/v1/sync/targets/${target.id}`)).status).toBe(404);
  });
});

describe("delivery", () => {
  it("POSTs each event with stable webhook-id, timestamp and a verifiable signature, only for subscribed types", async () => {
    const all = await createTarget();
    const deletesOnly = await createTarget({ events: ["user.deleted"] });
    const userId = freshId();
    await putUser(userId, { name: "A" });
    await api(`/v1/users/${userId}`, { method: "DELETE" });
    await waitForState(all.name, { [userId]: 2 });
    await waitForState(deletesOnly.name, { [userId]: 2 });
    const got = (await received(all.name)).received;
    expect(got.map((r) => r.type)).toEqual(["user.created", "user.deleted"]);
    expect(got.every((r) => r.verifiedBy.includes(0) && r.id.startsWith("msg_"))).toBe(true);
    expect((await received(deletesOnly.name)).received.map((r) => r.type)).toEqual(["user.deleted"]);
    const rows = await deliveries(all.id, "succeeded");
    expect(rows).toHaveLength(2);
    expect(rows.every((d) => d.attempts === 1 && d.latencyMs !== null && d.lastStatusCode === 200)).toBe(true);
  });

  it("retries 5xx with backoff under the same webhook-id, then succeeds once the receiver is back", async () => {
    const target = await createTarget();
    await controlReceiver(target.name, { mode: "fail" });
    const userId = freshId();
    await putUser(userId, { name: "down" });
    await waitFor(async () => (await received(target.name)).received.length >= 2, { timeoutMs: 15_000, what: "two failed attempts" });
    await controlReceiver(target.name, { mode: "ok" });
    await waitForState(target.name, { [userId]: 1 });
    const got = (await received(target.name)).received;
    expect(new Set(got.map((r) => r.id)).size).toBe(1);
    expect(got.slice(0, -1).every((r) => r.answered === 503)).toBe(true);
    const [delivery] = await deliveries(target.id);
    expect(delivery).toMatchObject({ status: "succeeded", lastStatusCode: 200 });
    expect(delivery!.attempts).toBe(got.length);
    // Observed gaps between attempts: each at least the 1 s minimum backoff.
    const gaps = got.slice(1).map((r, i) => r.at - got[i]!.at);
    expect(gaps.every((g) => g >= 900)).toBe(true);
  });

  it("honours Retry-After on 429", async () => {
    const target = await createTarget();
    await controlReceiver(target.name, { mode: "ratelimit", retryAfter: 3 });
    const userId = freshId();
    await putUser(userId, { name: "slow" });
    const pending = await waitFor(async () => (await deliveries(target.id, "pending")).find((d) => d.attempts === 1), { what: "first 429" });
    const first = (await received(target.name)).received[0]!;
    expect(Date.parse(pending.nextAttemptAt!) - first.at).toBeGreaterThanOrEqual(2500);
    await controlReceiver(target.name, { mode: "ok" });
    await waitForState(target.name, { [userId]: 1 });
    const got = (await received(target.name)).received;
    expect(got[1]!.at - got[0]!.at).toBeGreaterThanOrEqual(2900);
  });

  it("disables the target on 410 and sends it nothing more", async () => {
    const target = await createTarget();
    await controlReceiver(target.name, { mode: "gone" });
    const userId = freshId();
    await putUser(userId, { name: "x" });
    await waitFor(async () => ((await (await api(`/v1/sync/targets/${target.id}`)).json()) as { enabled: boolean }).enabled === false, { what: "target disabled" });
    expect(await (await api(`/v1/sync/targets/${target.id}`)).json()).toMatchObject({ enabled: false, disabledReason: expect.stringContaining("410") });
    await putUser(userId, { name: "y" });
    await new Promise((r) => setTimeout(r, 1500));
    expect((await received(target.name)).received).toHaveLength(1);
  });

  it("times out a receiver that does not answer, and dead-letters after the last attempt", async () => {
    const target = await createTarget();
    await controlReceiver(target.name, { mode: "timeout" });
    const userId = freshId();
    await putUser(userId, { name: "t" });
    const [dead] = await waitFor(async () => {
      const rows = await deliveries(target.id, "dead");
      return rows.length === 1 ? rows : undefined;
    }, { timeoutMs: 25_000, what: "dead delivery" });
    expect(dead).toMatchObject({ attempts: 4, lastError: expect.stringContaining("timed out") });
    const letter = await env.DB.prepare("SELECT source, source_id, attempts, payload FROM dead_letters WHERE source_id = ?").bind(dead!.id).first<{ source: string; attempts: number; payload: string }>();
    expect(letter).toMatchObject({ source: "sync", attempts: 4 });
    expect(JSON.parse(letter!.payload)).toEqual({ kind: "deliver", ids: [dead!.id] });

    // A manual retry after the receiver recovers delivers it under the same webhook-id.
    await controlReceiver(target.name, { mode: "ok" });
    const retry = await api(`/v1/sync/deliveries/${dead!.id}/retry`, { method: "POST" });
    expect(retry.status).toBe(202);
    await waitForState(target.name, { [userId]: 1 });
    expect((await received(target.name)).received.at(-1)!.id).toBe(dead!.id);
  });

  it("signs with both secrets for 24 hours after a rotation, then with the new one only", async () => {
    const target = await createTarget();
    const rotated = (await (await api(`/v1/sync/targets/${target.id}/rotate-secret`, { method: "POST" })).json()) as { secret: string; previousSecretExpiresAt: string };
    expect(rotated.secret).not.toBe(target.secret);
    expect(Date.parse(rotated.previousSecretExpiresAt) - Date.now()).toBeGreaterThan(23.9 * 3600 * 1000);
    await controlReceiver(target.name, { secrets: [target.secret, rotated.secret] });
    const userId = freshId();
    await putUser(userId, { name: "r1" });
    await waitForState(target.name, { [userId]: 1 });
    expect((await received(target.name)).received[0]!.verifiedBy).toEqual([0, 1]);

    await env.DB.prepare("UPDATE sync_targets SET previous_secret_expires_at = ?1 WHERE id = ?2").bind(Date.now() - 1, target.id).run();
    await putUser(userId, { name: "r2" });
    await waitForState(target.name, { [userId]: 2 });
    expect((await received(target.name)).received[1]!.verifiedBy).toEqual([1]);
  });
});

describe("receiver down for a while", () => {
  it("ends with every user at its latest version and no stale version accepted after a newer one", async () => {
    const target = await createTarget();
    await controlReceiver(target.name, { mode: "fail" });
    const userIds = Array.from({ length: 5 }, () => freshId());
    for (let round = 1; round <= 3; round++) {
      await Promise.all(userIds.map((u) => putUser(u, { name: `round ${round}` })));
    }
    await new Promise((r) => setTimeout(r, 2500));
    await controlReceiver(target.name, { mode: "ok" });
    await waitForState(target.name, Object.fromEntries(userIds.map((u) => [u, 3])), 25_000);
    const got = (await received(target.name)).received.filter((r) => r.answered === 200);
    for (const userId of userIds) {
      const applied = got.filter((r) => r.userId === userId && r.applied).map((r) => r.version);
      expect(applied).toEqual([...applied].sort((a, b) => a - b));
      expect(applied.at(-1)).toBe(3);
    }
    expect(receiverUrl()).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });
});
