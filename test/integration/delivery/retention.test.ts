/**
 * Retention of the delivery tables (docs/data-model.md#retention): rows past their age are removed in bounded chunks,
 * younger rows and live work are untouched. Rows here are dated in 2001, so the purges (bounded
 * by `before`) never reach what other tests write now.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { purgeMessageDeliveries } from "../../../src/db/message-deliveries";
import { purgeMessages } from "../../../src/db/messages";
import { purgeOutbox } from "../../../src/db/outbox";
import { purgeSyncDeliveries } from "../../../src/db/sync-deliveries";

const DAY = 86_400_000;
const BASE = Date.UTC(2001, 0, 1);
/** The cut-off: 30 days after BASE. Rows at BASE are past it; rows at BASE + 40 days are younger. */
const CUTOFF = BASE + 30 * DAY;
const OLD = BASE;
const YOUNG = BASE + 40 * DAY;

const exists = async (table: string, id: string) => (await env.DB.prepare(`SELECT 1 FROM ${table} WHERE id = ?1`).bind(id).first()) !== null;
const mark = () => crypto.randomUUID().replaceAll("-", "").slice(0, 16);

async function message(id: string, status: string, processedAt: number | null) {
  await env.DB.prepare(
    `INSERT INTO messages (id, topic, payload, status, attempts, max_attempts, deliver_at, processed_at, created_at, updated_at)
     VALUES (?1, 'wallet.recharged', '{}', ?2, 1, 8, ?3, ?4, ?3, ?3)`,
  )
    .bind(id, status, OLD, processedAt)
    .run();
}

async function messageDelivery(messageId: string, status: string) {
  const id = `mdl_${messageId}_s`;
  await env.DB.prepare(
    `INSERT INTO message_deliveries (id, message_id, subscription_id, status, attempts, created_at, updated_at) VALUES (?1, ?2, 's', ?3, 1, ?4, ?4)`,
  )
    .bind(id, messageId, status, OLD)
    .run();
  return id;
}

describe("retention", () => {
  it("purges messages and their deliveries 30 days after they finished, never pending or processing ones", async () => {
    const m = mark();
    const finished = [`msg_${m}_done`, `msg_${m}_failed`];
    await message(finished[0]!, "completed", OLD);
    await message(finished[1]!, "failed", OLD);
    await message(`msg_${m}_young`, "completed", YOUNG);
    await message(`msg_${m}_pending`, "pending", null);
    await message(`msg_${m}_processing`, "processing", null);
    const deliveries = [await messageDelivery(finished[0]!, "succeeded"), await messageDelivery(finished[1]!, "dead")];
    const young = await messageDelivery(`msg_${m}_young`, "succeeded");
    const live = await messageDelivery(`msg_${m}_processing`, "pending");

    // A message keeps its row while it still has deliveries: deliveries go first.
    await purgeMessages(env.DB, CUTOFF, 1000);
    for (const id of finished) expect(await exists("messages", id)).toBe(true);

    expect(await purgeMessageDeliveries(env.DB, CUTOFF, 1000)).toBeGreaterThanOrEqual(2);
    for (const id of deliveries) expect(await exists("message_deliveries", id)).toBe(false);
    expect(await purgeMessages(env.DB, CUTOFF, 1000)).toBeGreaterThanOrEqual(2);
    for (const id of finished) expect(await exists("messages", id)).toBe(false);

    for (const id of [`msg_${m}_young`, `msg_${m}_pending`, `msg_${m}_processing`]) expect(await exists("messages", id)).toBe(true);
    expect(await exists("message_deliveries", young)).toBe(true);
    expect(await exists("message_deliveries", live)).toBe(true);
  });

  it("keeps a delivery a redrive reopened, even of an old failed message", async () => {
    const id = `msg_${mark()}_redriven`;
    await message(id, "failed", OLD);
    const reopened = await messageDelivery(id, "pending");
    await purgeMessageDeliveries(env.DB, CUTOFF, 1000);
    await purgeMessages(env.DB, CUTOFF, 1000);
    expect(await exists("message_deliveries", reopened)).toBe(true);
    expect(await exists("messages", id)).toBe(true);
  });

  it("purges the outbox after 7 days, in chunks of at most `limit`", async () => {
    const m = mark();
    const old = [0, 1, 2].map((i) => `obx_${m}_${i}`);
    const cutoff = BASE + 7 * DAY;
    for (const [i, id] of [...old, `obx_${m}_young`].entries()) {
      await env.DB.prepare(`INSERT INTO outbox (id, notification_id, channel, recipient, body, created_at) VALUES (?1, ?2, 'sms', '+1', 'x', ?3)`)
        .bind(id, `n_${m}_${i}`, i < 3 ? OLD : BASE + 8 * DAY)
        .run();
    }
    expect(await purgeOutbox(env.DB, cutoff, 2)).toBe(2);
    while ((await purgeOutbox(env.DB, cutoff, 2)) > 0);
    for (const id of old) expect(await exists("outbox", id)).toBe(false);
    expect(await exists("outbox", `obx_${m}_young`)).toBe(true);
  });

  it("purges sync deliveries in a terminal status after 30 days, never pending ones", async () => {
    const m = mark();
    const row = (status: string, updatedAt: number) => ({ id: `msg_${m}_${status}_${updatedAt}`, status, updatedAt });
    const old = ["succeeded", "superseded", "failed", "dead"].map((s) => row(s, OLD));
    const kept = [row("pending", OLD), row("succeeded", YOUNG), row("dead", YOUNG)];
    for (const [i, r] of [...old, ...kept].entries()) {
      await env.DB.prepare(
        `INSERT INTO sync_deliveries (id, target_id, user_id, event_type, version, payload, status, attempts, created_at, updated_at)
         VALUES (?1, 'tgt_retention', ?2, 'user.updated', 1, '{}', ?3, 1, ?4, ?4)`,
      )
        .bind(r.id, `u_${m}_${i}`, r.status, r.updatedAt)
        .run();
    }
    expect(await purgeSyncDeliveries(env.DB, CUTOFF, 1000)).toBeGreaterThanOrEqual(4);
    for (const r of old) expect(await exists("sync_deliveries", r.id)).toBe(false);
    for (const r of kept) expect(await exists("sync_deliveries", r.id)).toBe(true);
  });
});
