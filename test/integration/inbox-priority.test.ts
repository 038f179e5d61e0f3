/**
 * Priority (docs/api.md#notifications): within one dispatch batch, `high` notifications take their users' next
 * seqs ahead of `normal` and `low` ones waiting with them; on the wire, frames stay in seq order.
 */
import { describe, expect, it } from "vitest";
import { Device, freshId, userToken } from "../helpers";
import { runDispatchBatch, storeNotifications } from "../inbox-helpers";

type Priority = "high" | "normal" | "low";

describe("priority", () => {
  it("gives high priority the first seqs of a batch, for every user of the fan-out, in seq order on the wire", async () => {
    const users = [freshId(), freshId()];
    const devices = await Promise.all(users.map(async (u) => Device.connect(await userToken(u))));
    await Promise.all(devices.map((d) => d.next("hello")));
    // Interleaved as they were accepted: created one ms apart, lowest priority first.
    const order: Priority[] = ["low", "normal", "high", "low", "high", "normal"];
    const start = Date.now();
    const rows = await storeNotifications(users.flatMap((userId) => order.map((priority, i) => ({ userId, priority, title: `${priority}${i}`, createdAt: start + i }))));

    // One batch, several messages, ids shuffled across them.
    const ids = rows.map((r) => r.id).reverse();
    const result = await runDispatchBatch([ids.slice(0, 5), ids.slice(5)]);
    expect(result.retryMessages).toEqual([]);

    for (const device of devices) {
      const frames = await device.take(order.length);
      expect(frames.map((f) => f.seq)).toEqual([1, 2, 3, 4, 5, 6]);
      // High first, then normal, then low; within a priority, acceptance order.
      expect(frames.map((f) => (f.notification as { title: string }).title)).toEqual(["high2", "high4", "normal1", "normal5", "low0", "low3"]);
      device.close();
    }
  });
});
