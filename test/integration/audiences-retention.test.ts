/**
 * Retention of broadcasts (docs/data-model.md#broadcasts): finished broadcasts age out like
 * notifications — the recipient snapshot first, then the broadcast — and live or young ones stay.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { purgeBroadcastRecipients } from "../../src/db/broadcast-recipients";
import { purgeBroadcasts } from "../../src/db/broadcasts";
import { audienceTopic, broadcast, freshUsers, subscribe, waitForBroadcast } from "../audience-helpers";

const DAY = 86_400_000;

/** A completed broadcast to 3 fresh subscribers. */
async function completedBroadcast(): Promise<string> {
  const topic = await audienceTopic();
  await subscribe(topic, freshUsers(3));
  const { broadcastId } = (await (await broadcast(topic)).json()) as { broadcastId: string };
  await waitForBroadcast(broadcastId);
  return broadcastId;
}

const count = async (table: "broadcasts" | "broadcast_recipients", column: string, ids: string[]) =>
  (await env.DB.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE ${column} IN (SELECT value FROM json_each(?1))`).bind(JSON.stringify(ids)).first<number>("n"))!;

describe("purgeBroadcastRecipients and purgeBroadcasts (90 days after completion)", () => {
  it("remove old completed broadcasts with their snapshot, never young or live ones, within the limit", { timeout: 60_000 }, async () => {
    const [old, live, young] = [await completedBroadcast(), await completedBroadcast(), await completedBroadcast()];
    const longAgo = Date.now() - 91 * DAY;
    await env.DB.prepare(`UPDATE broadcasts SET created_at = ?2, completed_at = ?2 WHERE id = ?1`).bind(old, longAgo).run();
    await env.DB.prepare(`UPDATE broadcasts SET created_at = ?2, completed_at = NULL, status = 'fanning_out' WHERE id = ?1`).bind(live, longAgo).run();
    const before = Date.now() - 90 * DAY;

    expect(await purgeBroadcasts(env.DB, before, 100)).toBe(0);
    expect(await purgeBroadcastRecipients(env.DB, before, 2)).toBe(2);
    expect(await purgeBroadcastRecipients(env.DB, before, 100)).toBe(1);
    expect(await purgeBroadcastRecipients(env.DB, before, 100)).toBe(0);
    expect(await purgeBroadcasts(env.DB, before, 100)).toBe(1);

    expect(await count("broadcasts", "id", [old, live, young])).toBe(2);
    expect(await count("broadcast_recipients", "broadcast_id", [old])).toBe(0);
    expect(await count("broadcast_recipients", "broadcast_id", [live, young])).toBe(6);
  });
});
