/**
 * Users (docs/api.md#user-sync; seed problem: users out of sync between services): versioned upserts, events
 * only for real changes, soft delete, no lost update under concurrency.
 */
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { api, freshId } from "../helpers";
import { clearTargets, createTarget, putUser, received, waitForState } from "../sync-helpers";

interface User {
  id: string;
  version: number;
  status: string;
  email: string | null;
  name: string | null;
  attributes: Record<string, unknown> | null;
  deletedAt: string | null;
}

beforeEach(clearTargets);

describe("PUT /v1/users/{userId}", () => {
  it("creates with version 1, bumps the version only on a real change, and keeps omitted fields", async () => {
    const userId = freshId();
    const created = await putUser(userId, { email: "a@example.com", name: "Ada", attributes: { plan: "pro", seats: 3 } });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ id: userId, version: 1, status: "active", email: "a@example.com", name: "Ada" });

    const same = await putUser(userId, { name: "Ada", attributes: { seats: 3, plan: "pro" } });
    expect(same.status).toBe(200);
    expect(((await same.json()) as User).version).toBe(1);

    const changed = (await (await putUser(userId, { name: "Ada L." })).json()) as User;
    expect(changed).toMatchObject({ version: 2, name: "Ada L.", email: "a@example.com" });
    const cleared = (await (await putUser(userId, { email: null })).json()) as User;
    expect(cleared).toMatchObject({ version: 3, email: null });
    expect(await (await api(`/v1/users/${userId}`)).json()).toMatchObject({ version: 3, name: "Ada L." });
  });

  it("emits user.created, user.updated, user.status_changed and user.deleted — and nothing for no change", async () => {
    const target = await createTarget();
    const userId = freshId();
    await putUser(userId, { name: "B" });
    await putUser(userId, { name: "B" });
    await putUser(userId, { name: "Bee" });
    await putUser(userId, { status: "disabled" });
    expect((await api(`/v1/users/${userId}`, { method: "DELETE" })).status).toBe(200);
    await waitForState(target.name, { [userId]: 4 });
    const { received: got } = await received(target.name);
    expect(got.filter((r) => r.userId === userId).map((r) => [r.type, r.version])).toEqual([
      ["user.created", 1],
      ["user.updated", 2],
      ["user.status_changed", 3],
      ["user.deleted", 4],
    ]);
    expect((await api(`/v1/users/${userId}`)).status).toBe(404);
    expect((await api(`/v1/users/${userId}`, { method: "DELETE" })).status).toBe(404);
    // Re-creating a deleted user continues its version line.
    expect(await (await putUser(userId, { name: "Back" })).json()).toMatchObject({ version: 5, deletedAt: null });
  });

  it("never loses a concurrent update nor reuses a version", async () => {
    const userId = freshId();
    await putUser(userId, { name: "start" });
    const responses = await Promise.all(Array.from({ length: 12 }, (_, i) => putUser(userId, { attributes: { [`k${i}`]: i } })));
    const versions = (await Promise.all(responses.map((r) => r.json() as Promise<User>))).map((u) => u.version);
    expect(new Set(versions).size).toBe(12);
    expect(Math.max(...versions)).toBe(13);
    const row = await env.DB.prepare("SELECT version FROM users WHERE id = ?").bind(userId).first<{ version: number }>();
    expect(row!.version).toBe(13);
  });

  it("validates input and writes nothing", async () => {
    const userId = freshId();
    const res = await putUser(userId, { email: "not-an-email", phone: "12", status: "gone", extra: 1 });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { errors: { path: string }[] };
    expect(body.errors.map((e) => e.path)).toEqual(expect.arrayContaining(["email", "phone", "status"]));
    expect((await api(`/v1/users/${userId}`)).status).toBe(404);
  });
});
