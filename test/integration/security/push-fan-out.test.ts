/**
 * Push fan-out (issue 14, src/channels/send.ts): a user's endpoints are sent with bounded
 * concurrency, and one user's broken or slow endpoints never fail or hold back another user's
 * sends in the same batch — a throw while sending to one endpoint becomes that delivery's own
 * outcome (retried with backoff), never the batch's.
 *
 * The push channel runs on the default `outbox` provider, through a D1 binding that breaks or
 * slows the outbox write of chosen endpoints (fault injection lives in the binding handed to the
 * code, as in test/d1-proxy.ts — but keyed on the bound recipient, which that proxy cannot see).
 * Real Web Push cannot reach the local receiver: RFC 8030 push resources are https only, and
 * the Web Push library refuses anything else.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
const PUSH_CONCURRENCY = 3;
import { freshId, waitFor } from "../../helpers";
import { storeNotifications } from "../../inbox-helpers";
import { bindingsWith, recordingQueue, runQueueBatch } from "../../security-helpers";

type Fault = { throws: true } | { delayMs: number };

/**
 * `db` whose outbox inserts for recipients in `faults` throw or wait first; counts the inserts
 * in flight per recipient prefix (`inFlight.max`).
 */
function outboxFaults(db: D1Database, faults: Map<string, Fault>, prefix: string) {
  const inFlight = { now: 0, max: 0 };
  const faulty = new Proxy(db, {
    get(target, prop) {
      if (prop === "prepare") {
        return (sql: string) => {
          const real = target.prepare(sql);
          if (!sql.includes("INSERT INTO outbox")) return real;
          return {
            bind: (...values: unknown[]) => ({
              run: async () => {
                const recipient = String(values[3]);
                const fault = faults.get(recipient);
                const mine = recipient.startsWith(prefix);
                if (mine) inFlight.max = Math.max(inFlight.max, ++inFlight.now);
                try {
                  if (fault && "throws" in fault) throw new Error(`D1_ERROR: injected failure for ${recipient}`);
                  if (fault) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
                  return await real.bind(...values).run();
                } finally {
                  if (mine) inFlight.now--;
                }
              },
            }),
          };
        };
      }
      const value = Reflect.get(target, prop) as unknown;
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { faulty, inFlight };
}

async function subscribe(userId: string, endpoints: string[]): Promise<void> {
  const now = Date.now();
  await env.DB.batch(
    endpoints.map((endpoint) =>
      env.DB.prepare(`INSERT INTO push_subscriptions (endpoint, user_id, p256dh, auth, created_at, updated_at) VALUES (?1, ?2, 'k', 'a', ?3, ?3)`).bind(endpoint, userId, now),
    ),
  );
}

const pushDelivery = (id: string) =>
  env.DB.prepare(`SELECT status, attempts, last_error AS error FROM deliveries WHERE notification_id = ?1 AND channel = 'push'`).bind(id).first<{ status: string; attempts: number; error: string | null }>();

async function pushNotifications(...userIds: string[]): Promise<string[]> {
  return (await storeNotifications(userIds.map((userId) => ({ userId, title: "Ping", channels: ["push"] })))).map((row) => row.id);
}

describe("push fan-out", () => {
  it("keeps a throw while sending to one user's endpoint in that user's delivery: the batch is acked, the other user's push is sent", async () => {
    const [alice, bob] = [freshId("alice"), freshId("bob")];
    const broken = `https://push.example.com/${alice}/broken`;
    await subscribe(alice, [broken]);
    await subscribe(bob, [`https://push.example.com/${bob}/ok`]);
    const [toAlice, toBob] = await pushNotifications(alice, bob);
    const { faulty } = outboxFaults(env.DB, new Map([[broken, { throws: true }]]), `https://push.example.com/${alice}/`);
    const retries = recordingQueue();

    const result = await runQueueBatch("herald-channels", [{ kind: "channel", ids: [toAlice, toBob] }], bindingsWith({ DB: faulty, CHANNELS: retries.queue }));

    expect(result.retryBatch.retry).toBe(false);
    expect(await pushDelivery(toBob!)).toMatchObject({ status: "sent", attempts: 1, error: null });
    const aliceDelivery = await pushDelivery(toAlice!);
    expect(aliceDelivery).toMatchObject({ status: "queued", attempts: 1 });
    expect(aliceDelivery!.error).toContain("push to push.example.com failed");
    // Only Alice's delivery goes back on the queue, with its backoff.
    expect(retries.sent).toEqual([{ kind: "channel", ids: [toAlice] }]);
  });

  it("lets neither slow nor broken endpoints of one user hold back another user's push in the same batch", async () => {
    const [alice, bob] = [freshId("alice"), freshId("bob")];
    const slow = [`https://push.example.com/${alice}/slow-1`, `https://push.example.com/${alice}/slow-2`];
    const broken = `https://push.example.com/${alice}/broken`;
    await subscribe(alice, [...slow, broken]);
    await subscribe(bob, [`https://push.example.com/${bob}/ok`]);
    const [toAlice, toBob] = await pushNotifications(alice, bob);
    const faults = new Map<string, Fault>([...slow.map((e) => [e, { delayMs: 3_000 }] as const), [broken, { throws: true }]]);
    const { faulty } = outboxFaults(env.DB, faults, `https://push.example.com/${alice}/`);
    const retries = recordingQueue();

    const started = Date.now();
    const batch = runQueueBatch("herald-channels", [{ kind: "channel", ids: [toAlice, toBob] }], bindingsWith({ DB: faulty, CHANNELS: retries.queue }));
    await waitFor(async () => (await pushDelivery(toBob!))?.status === "sent", { what: "Bob's push sent", timeoutMs: 2_500 });
    expect(Date.now() - started).toBeLessThan(2_500);
    expect(await pushDelivery(toAlice!)).toMatchObject({ status: "queued", attempts: 0 });

    const result = await batch;
    expect(result.retryBatch.retry).toBe(false);
    // One of Alice's endpoints took it: her delivery is sent, the broken one notwithstanding.
    expect(await pushDelivery(toAlice!)).toMatchObject({ status: "sent", attempts: 1 });
    expect(retries.sent).toEqual([]);
  });

  it(`sends one user's endpoints at most ${PUSH_CONCURRENCY} at a time`, async () => {
    const alice = freshId("alice");
    const endpoints = Array.from({ length: 12 }, (_, i) => `https://push.example.com/${alice}/e${i}`);
    await subscribe(alice, endpoints);
    const [toAlice] = await pushNotifications(alice);
    const { faulty, inFlight } = outboxFaults(env.DB, new Map(endpoints.map((e) => [e, { delayMs: 100 }])), `https://push.example.com/${alice}/`);

    const result = await runQueueBatch("herald-channels", [{ kind: "channel", ids: [toAlice] }], bindingsWith({ DB: faulty }));

    expect(result.retryBatch.retry).toBe(false);
    expect(await pushDelivery(toAlice!)).toMatchObject({ status: "sent", attempts: 1 });
    expect(inFlight.max).toBe(PUSH_CONCURRENCY);
  });
});
