/**
 * Retention never removes work a waiting dead letter names (docs/data-model.md#retention): a
 * letter redrives by reopening its row, so the row stays as long as the letter does — whatever
 * its age — and goes with the next run once the letter was redriven or discarded. Rows are dated
 * in 2002, so these purges (bounded by `before`) never reach what other tests write now.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { encodeTime } from "ulidx";
import { insertDeadLettersStatements, type NewDeadLetter } from "../../../src/db/dead-letters";
import { purgeMessageDeliveries } from "../../../src/db/message-deliveries";
import { purgeNotifications } from "../../../src/db/notifications";
import { purgeSyncDeliveries } from "../../../src/db/sync-deliveries";

const OLD = Date.UTC(2002, 0, 1);
const CUTOFF = OLD + 30 * 86_400_000;
const mark = () => crypto.randomUUID().replaceAll("-", "").slice(0, 12).toUpperCase();

const exists = async (table: string, column: string, id: string) => (await env.DB.prepare(`SELECT 1 FROM ${table} WHERE ${column} = ?1`).bind(id).first()) !== null;

async function letter(source: NewDeadLetter["source"], sourceId: string): Promise<string> {
  const id = `DL${mark()}`;
  await env.DB.batch(insertDeadLettersStatements(env.DB, [{ id, source, sourceId, queue: "herald-x", payload: { kind: "x", ids: [] }, attempts: 8, lastError: "boom" }], OLD));
  return id;
}

const discard = (id: string) => env.DB.prepare(`DELETE FROM dead_letters WHERE id = ?1`).bind(id).run();

describe("retention and waiting dead letters", () => {
  it("keeps an old notification whose email a waiting letter names, and purges it once the letter is gone", async () => {
    const guarded = `${encodeTime(OLD, 10)}${mark()}AAAA`;
    const free = `${encodeTime(OLD, 10)}${mark()}BBBB`;
    await env.DB.prepare(
      `INSERT INTO notifications (id, user_id, channels, priority, created_at, updated_at, dispatch_after, dispatched_at)
       SELECT value, 'u_guard', '["email"]', 'normal', ?2, ?2, ?2, ?2 FROM json_each(?1)`,
    )
      .bind(JSON.stringify([guarded, free]), OLD)
      .run();
    await env.DB.prepare(`INSERT INTO deliveries (notification_id, channel, status, attempts, updated_at) SELECT value, 'email', 'failed', 1, ?2 FROM json_each(?1)`)
      .bind(JSON.stringify([guarded, free]), OLD)
      .run();
    const letterId = await letter("channel", `${guarded}:email`);

    await purgeNotifications(env.DB, CUTOFF, 1000);
    expect(await exists("notifications", "id", guarded)).toBe(true);
    expect(await exists("deliveries", "notification_id", guarded)).toBe(true);
    expect(await exists("notifications", "id", free)).toBe(false);

    await discard(letterId);
    await purgeNotifications(env.DB, CUTOFF, 1000);
    expect(await exists("notifications", "id", guarded)).toBe(false);
    expect(await exists("deliveries", "notification_id", guarded)).toBe(false);
  });

  it("keeps an old message delivery a waiting letter names", async () => {
    const m = mark();
    await env.DB.prepare(
      `INSERT INTO messages (id, topic, payload, status, attempts, max_attempts, deliver_at, processed_at, created_at, updated_at)
       VALUES (?1, 'wallet.recharged', '{}', 'failed', 8, 8, ?2, ?2, ?2, ?2)`,
    )
      .bind(`msg_${m}`, OLD)
      .run();
    const [guarded, free] = [`mdl_${m}_a`, `mdl_${m}_b`];
    await env.DB.prepare(
      `INSERT INTO message_deliveries (id, message_id, subscription_id, status, attempts, created_at, updated_at)
       SELECT value, ?2, value, 'dead', 8, ?3, ?3 FROM json_each(?1)`,
    )
      .bind(JSON.stringify([guarded, free]), `msg_${m}`, OLD)
      .run();
    const letterId = await letter("message", guarded);

    await purgeMessageDeliveries(env.DB, CUTOFF, 1000);
    expect(await exists("message_deliveries", "id", guarded)).toBe(true);
    expect(await exists("message_deliveries", "id", free)).toBe(false);
    await discard(letterId);
    await purgeMessageDeliveries(env.DB, CUTOFF, 1000);
    expect(await exists("message_deliveries", "id", guarded)).toBe(false);
  });

  it("keeps an old sync delivery a waiting letter names", async () => {
    const m = mark();
    const [guarded, free] = [`msg_${m}_a`, `msg_${m}_b`];
    await env.DB.prepare(
      `INSERT INTO sync_deliveries (id, target_id, user_id, event_type, version, payload, status, attempts, created_at, updated_at)
       SELECT value, 'tgt_guard', value, 'user.updated', 1, '{}', 'dead', 8, ?2, ?2 FROM json_each(?1)`,
    )
      .bind(JSON.stringify([guarded, free]), OLD)
      .run();
    const letterId = await letter("sync", guarded);

    await purgeSyncDeliveries(env.DB, CUTOFF, 1000);
    expect(await exists("sync_deliveries", "id", guarded)).toBe(true);
    expect(await exists("sync_deliveries", "id", free)).toBe(false);
    await discard(letterId);
    await purgeSyncDeliveries(env.DB, CUTOFF, 1000);
    expect(await exists("sync_deliveries", "id", guarded)).toBe(false);
  });
});
