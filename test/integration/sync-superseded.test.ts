/**
 * A sync delivery whose version the target already acknowledged is `superseded`, never sent
 * (docs/api.md#user-sync: per (target, user) the acknowledged version only grows). The engine reads
 * the target's acks and the delivery in one batch, so this also proves it matches them by
 * (target, user).
 */
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { api, freshId, waitFor } from "../helpers";
import { clearTargets, createTarget, putUser, received } from "../sync-helpers";

beforeEach(clearTargets);

describe("a version the target already acknowledged", () => {
  it("is superseded instead of sent, while another user's version goes out", async () => {
    const target = await createTarget();
    const [ahead, behind] = [freshId(), freshId()];
    // The target acknowledged version 5 of `ahead` (as after a delivery that overtook this one).
    await env.DB.prepare(`INSERT INTO sync_acks (target_id, user_id, version, acked_at) VALUES (?1, ?2, 5, ?3)`).bind(target.id, ahead, Date.now()).run();
    await putUser(ahead, { name: "A" });
    await putUser(behind, { name: "B" });

    const byUser = await waitFor(
      async () => {
        const res = await api(`/v1/sync/deliveries?targetId=${target.id}&limit=200`);
        const items = ((await res.json()) as { items: { userId: string; status: string; attempts: number }[] }).items;
        const done = items.filter((d) => d.status !== "pending");
        return done.length === 2 ? new Map(done.map((d) => [d.userId, d])) : undefined;
      },
      { timeoutMs: 15_000, intervalMs: 100, what: "both deliveries finished" },
    );
    expect(byUser.get(ahead)).toMatchObject({ status: "superseded", attempts: 0 });
    expect(byUser.get(behind)).toMatchObject({ status: "succeeded", attempts: 1 });
    expect((await received(target.name)).received.map((r) => r.userId)).toEqual([behind]);
  });
});
