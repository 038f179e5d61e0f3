/**
 * Worker entry: wiring only. HTTP goes to the Hono app, queue batches to their consumer by
 * queue name, the cron to the sweepers. The Durable Object classes (UserInbox, UserWorkflows) are
 * re-exported so the runtime can find them.
 */
import { createApp } from "./app";
import type { Bindings } from "./env";
import { traced } from "./lib/cost-trace";
import { processBehaviours } from "./queues/behaviours";
import { processBroadcasts } from "./queues/broadcasts";
import { processChannels } from "./queues/channels";
import { processDeadLetters } from "./queues/dead-letters";
import { processDispatch } from "./queues/dispatch";
import { processMessages } from "./queues/messages";
import { processReceipts } from "./queues/receipts";
import { processSync } from "./queues/sync";
import { processWorkflows } from "./queues/workflows";
import { runSweepers } from "./sweepers";

export { UserInbox } from "./inbox/user-inbox";
export { UserWorkflows } from "./workflows/user-workflows";

const app = createApp();

export default {
  // `traced` is the env itself unless COST_TRACE is "true" (src/lib/cost-trace.ts).
  fetch: (request, env, ctx) => app.fetch(request, traced(env, "fetch"), ctx),

  async queue(batch, rawEnv) {
    const env = traced(rawEnv, "queue");
    switch (batch.queue) {
      case "herald-behaviours":
        return processBehaviours(env, batch);
      case "herald-dispatch":
        return processDispatch(env, batch);
      case "herald-broadcasts":
        return processBroadcasts(env, batch);
      case "herald-receipts":
        return processReceipts(env, batch);
      case "herald-sync":
        return processSync(env, batch);
      case "herald-messages":
        return processMessages(env, batch);
      case "herald-channels":
        return processChannels(env, batch);
      case "herald-workflows":
        return processWorkflows(env, batch);
      case "herald-dlq":
        return processDeadLetters(env, batch);
      default:
        console.error(JSON.stringify({ level: "error", msg: "batch from unknown queue", queue: batch.queue }));
        batch.retryAll({ delaySeconds: 60 });
    }
  },

  async scheduled(controller, env, ctx) {
    ctx.waitUntil(runSweepers(traced(env), controller.scheduledTime));
  },
} satisfies ExportedHandler<Bindings>;
