/**
 * Reconnect replay at volume (docs/protocol.md#replay, README.md#benchmarks "reconnect replay"): 10,000 notifications queued for
 * an offline user all come back, in seq order, through the production window (1,000) and the
 * client's cumulative acks, and it prints the replay rate in frames/s
 * (`npx vitest run test/integration/inbox-replay-rate.test.ts --silent=false`).
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { inboxOf, type InboxItemInput } from "../../src/inbox/user-inbox";
import { harness } from "../client-harness";
import { freshId, userToken, waitFor } from "../helpers";

const QUEUED = 10_000;
/** Items per `deliver` call, as one large dispatch batch hands them over. */
const PER_CALL = 1_000;

describe("reconnect replay", () => {
  it("replays 10,000 queued notifications in seq order and reports frames/s", async () => {
    const userId = freshId();
    const token = await userToken(userId);
    const now = Date.now();
    for (let start = 0; start < QUEUED; start += PER_CALL) {
      const items: InboxItemInput[] = Array.from({ length: PER_CALL }, (_, i) => ({
        id: `${userId}_${start + i}`,
        title: `Order ${start + i} shipped`,
        body: "Your parcel is on its way.",
        data: { orderId: start + i },
        priority: "normal",
        createdAt: now,
        expiresAt: null,
      }));
      await inboxOf(env, userId).deliver(userId, items);
    }

    const h = harness(token);
    const begun = performance.now();
    h.client.connect();
    await waitFor(() => h.received.length === QUEUED, { what: `${QUEUED} replayed notifications`, timeoutMs: 60_000, intervalMs: 5 });
    const seconds = (performance.now() - begun) / 1000;
    h.client.close();

    expect(h.received.map((f) => f.seq)).toEqual(Array.from({ length: QUEUED }, (_, i) => i + 1));
    console.log(`reconnect replay: ${QUEUED} frames in ${seconds.toFixed(2)} s = ${Math.round(QUEUED / seconds)} frames/s (window 1,000, client acks every 500)`);
  }, 90_000);
});
