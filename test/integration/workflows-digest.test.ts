/**
 * Digests (docs/api.md#workflows): triggers for one (recipient, workflow, rendered key) within the
 * window join one run, which goes on once with `data.events` (arrival order) and `data.count` —
 * exactly once under concurrent triggers, a redelivered queue batch and an evicted object.
 */
import { env } from "cloudflare:workers";
import { evictDurableObject, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { Bindings } from "../../src/env";
import { MAX_DIGEST_BYTES } from "../../src/workflows/storage";
import { workflowsOf } from "../../src/workflows/user-workflows";
import { freshId } from "../helpers";
import { runQueueBatch } from "../security-helpers";
import { runsOf, template, trigger, waitForOnlyRun, workflow, type RunView, inboxItems } from "../workflow-helpers";

const bindings = env as unknown as Bindings;

async function digestWorkflow(windowSeconds: number): Promise<string> {
  const inApp = await template("in_app", "{{count}} new comments on {{postId}}:{{#events}} {{who}}{{/events}}", "Comments");
  return workflow([{ type: "digest", windowSeconds, key: "{{postId}}" }, { type: "in_app", template: inApp }]);
}

async function accept(key: string, body: Record<string, unknown>): Promise<string> {
  const res = await trigger(key, body);
  expect(res.status).toBe(202);
  return ((await res.json()) as { triggerId: string }).triggerId;
}

describe("digest", () => {
  it("collects 50 concurrent triggers into exactly one digest, through a redelivered batch and an eviction mid-window", { timeout: 60_000 }, async () => {
    // The window outlasts the fan-out of all 50 triggers (two queue hops) with room to spare under load.
    const key = await digestWorkflow(10);
    const userId = freshId("wfd");
    const triggerIds = await Promise.all(Array.from({ length: 50 }, (_, n) => accept(key, { to: userId, data: { postId: "p1", who: `c${n}`, n } })));
    expect(new Set(triggerIds).size).toBe(50);

    // Every trigger joined the one open window.
    const open = await waitForOnlyRun(userId, (r) => r.data.count === 50);
    expect(open.status).toBe("running");
    expect(open.steps[0]).toMatchObject({ type: "digest", status: "waiting" });

    // Mid-window: the object is evicted (its memory gone), then a queue batch is redelivered.
    const stub = workflowsOf(bindings, userId);
    await runInDurableObject(stub, () => undefined);
    await evictDurableObject(stub);
    const redelivered = await runQueueBatch("herald-workflows", triggerIds.slice(0, 20).map((triggerId) => ({ kind: "workflow-start", triggerId, userIds: [userId] })), bindings, 2);
    expect(redelivered.retryMessages).toEqual([]);
    expect(redelivered.explicitAcks).toHaveLength(20);
    expect((await runsOf(userId))[0]!.data.count).toBe(50);

    const run = await waitForOnlyRun(userId, (r) => r.status === "completed", 20_000);
    const events = run.data.events as { n: number; who: string }[];
    expect(run.data.count).toBe(50);
    expect(events.map((e) => e.n).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, n) => n));
    expect(run.steps.map((s) => s.status)).toEqual(["completed", "completed"]);

    const items = await inboxItems(userId);
    expect(items).toHaveLength(1);
    expect(items[0]!.id).toBe(run.steps[1]!.notificationId);
    expect(items[0]!.body).toMatch(/^50 new comments on p1:( c\d+){50}$/);
    // Nothing more comes: the window closed once.
    await new Promise((r) => setTimeout(r, 1000));
    expect(await runsOf(userId)).toHaveLength(1);
    expect(await inboxItems(userId)).toHaveLength(1);
  });

  it("keeps arrival order, separates digest keys, and starts the next window after one closes", { timeout: 60_000 }, async () => {
    const key = await digestWorkflow(2);
    const userId = freshId("wfo");
    for (const who of ["a", "b", "c"]) {
      // Each trigger is handed to the object at once (as its queue chunk would be; the chunk that
      // follows is a redelivery), so arrival order is the order sent.
      const triggerId = await accept(key, { to: userId, data: { postId: "p1", who } });
      await runQueueBatch("herald-workflows", [{ kind: "workflow-start", triggerId, userIds: [userId] }], bindings);
    }
    await accept(key, { to: userId, data: { postId: "p2", who: "z" } });
    const byPost = async () => {
      const runs = await runsOf(userId);
      return runs.length === 2 && runs.every((r) => r.status === "completed") ? runs : undefined;
    };
    let runs: RunView[] | undefined;
    for (const deadline = Date.now() + 20_000; !(runs = await byPost()) && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 100));
    const p1 = runs!.find((r) => r.data.postId === "p1")!;
    const p2 = runs!.find((r) => r.data.postId === "p2")!;
    expect((p1.data.events as { who: string }[]).map((e) => e.who)).toEqual(["a", "b", "c"]);
    expect(p1.data.count).toBe(3);
    expect(p2.data.count).toBe(1);

    // After p1's window closed, a new p1 trigger opens the next window: a third run.
    await accept(key, { to: userId, data: { postId: "p1", who: "d" } });
    const next = await waitForOnlyRunCount(userId, 3);
    expect(next.filter((r) => r.data.postId === "p1")).toHaveLength(2);
    expect(next[0]!.data).toMatchObject({ postId: "p1", events: [{ who: "d" }], count: 1 });
  });

  it("opens the next window when a digest's events would pass 1 MiB", async () => {
    const userId = freshId("wfb");
    const definition = { key: "big-digest", version: 1, name: null, category: null, critical: false, steps: [{ type: "digest" as const, windowSeconds: 3600 }, { type: "delay" as const, seconds: 1 }] };
    const stub = workflowsOf(bindings, userId);
    const big = (n: number) => ({ n, blob: "x".repeat(400 * 1024) });
    const runs = [];
    for (let n = 0; n < 3; n++) runs.push(await stub.start(userId, { triggerId: freshId("big"), definition, data: big(n), actor: null }));
    expect(runs.map((r) => r.joined)).toEqual([false, true, false]);
    expect(runs[1]!.runId).toBe(runs[0]!.runId);
    expect(runs[2]!.runId).not.toBe(runs[0]!.runId);
    const counts = (await runsOf(userId)).map((r) => r.data.count).sort();
    expect(counts).toEqual([1, 2]);
    expect(MAX_DIGEST_BYTES).toBe(1024 * 1024);
  });
});

async function waitForOnlyRunCount(userId: string, n: number): Promise<RunView[]> {
  for (const deadline = Date.now() + 20_000; Date.now() < deadline; ) {
    const runs = await runsOf(userId);
    if (runs.length === n && runs.every((r) => r.status === "completed")) return runs;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no ${n} completed runs for ${userId}`);
}
