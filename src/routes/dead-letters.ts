/**
 * Dead letters (docs/api.md#retries-and-dead-letters): work that exhausted its retries, kept with its last error so a person
 * can inspect it, fix the cause, and redrive it — or discard it.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { deleteDeadLetter, findDeadLetter, listDeadLetters, DeadLetterSource, type DeadLetter, type ListedDeadLetter } from "../db/dead-letters";
import { deadLetterSubject } from "../delivery/dead-letter-subject";
import { createRouter } from "../http/router";
import { commonErrors, PageQuery, pageSchema, problemResponse } from "../http/schemas";
import { pageOf, stringCursor } from "../lib/cursor";
import { ApiError } from "../lib/errors";
import { redrive } from "../queues/redrive";

export const deadLetters = createRouter();

/** What the letter's work was about (src/delivery/dead-letter-subject.ts); null fields when its rows are gone. */
const DeadLetterSubjectView = z
  .object({
    topic: z.string().nullable().describe("Topic message letters: the topic the message was published to; otherwise null."),
    target: z
      .string()
      .nullable()
      .describe("Where the work was going: a topic webhook's URL or a notify subscription's template, a sync target's name, the channel of a send (email, sms, push, in_app), or a behaviour's target id."),
    recipient: z.string().nullable().describe("The user the work was for: the notification's user, the sync event's user, or the behaviour target's owner."),
    items: z.number().int().describe("Work items the letter carries (ids or events); the other fields describe the first."),
    summary: z.string().describe("All of the above in one line for people, e.g. `wallet.recharged → notify dev-user (template wallet_recharged)`."),
  })
  .openapi("DeadLetterSubject", { description: "What a dead letter's work was about, read from the rows its payload names; fields are null when those rows are gone." });

const EXAMPLE_LETTER = {
  id: "01M8MB1T61YW3MZFD0FR5SCQWK",
  source: "message",
  sourceId: "mdl_01M8MB1S5SS7AZAT4DKSE2PW7Y_sub_seed_wallet_recharged",
  payload: { kind: "attempt", ids: ["mdl_01M8MB1S5SS7AZAT4DKSE2PW7Y_sub_seed_wallet_recharged"] },
  attempts: 1,
  lastError: "template_invalid: The template needs data it was not given: balance.",
  createdAt: "2026-11-29T19:03:32.000Z",
  subject: { topic: "wallet.recharged", target: "wallet_recharged", recipient: "dev-user", items: 1, summary: "wallet.recharged → notify dev-user (template wallet_recharged)" },
};

const DeadLetterView = z
  .object({
    id: z.string().describe("Dead letter id (ULID)."),
    source: z.string().openapi({ description: "`message`, `channel`, `sync`, `workflow_run` (or `behaviour` for behaviour batches)." }),
    sourceId: z.string().nullable().describe("Id of the failed work: the message delivery, notification delivery or sync delivery."),
    payload: z.unknown().describe("The queue message that failed, as it was."),
    attempts: z.number().int().describe("Attempts made before it was dead-lettered."),
    lastError: z.string().nullable().describe("The last attempt's error."),
    createdAt: z.string().describe("When it was dead-lettered (ISO 8601)."),
    subject: DeadLetterSubjectView.describe("What the work was about: topic, target and recipient, read from the rows the payload names."),
  })
  .openapi("DeadLetter", { example: EXAMPLE_LETTER });

const toView = (r: ListedDeadLetter): z.infer<typeof DeadLetterView> => ({
  id: r.id,
  source: r.source,
  sourceId: r.sourceId,
  payload: r.payload,
  attempts: r.attempts,
  lastError: r.lastError,
  createdAt: new Date(r.createdAt).toISOString(),
  subject: deadLetterSubject(r, r.facts),
});

const params = z.object({ id: z.string().min(1).max(64).describe("Dead letter id (ULID).") });

async function find(db: D1Database, id: string): Promise<DeadLetter> {
  const row = await findDeadLetter(db, id);
  if (!row) throw new ApiError("not_found", "No dead letter has this id.");
  return row;
}

deadLetters.openapi(
  createRoute({
    method: "get",
    path: "/v1/dead-letters",
    operationId: "listDeadLetters",
    tags: ["dead-letters"],
    summary: "List dead letters",
    description: "Newest first, paginated, optionally by `source`. Each letter says what its work was about (`subject`: topic, target, recipient), read from the rows its payload names.",
    request: { query: PageQuery.extend({ source: DeadLetterSource.optional().describe("Only dead letters from this source.") }) },
    responses: {
      200: { description: "A page", content: { "application/json": { schema: pageSchema(DeadLetterView, EXAMPLE_LETTER) } } },
      ...commonErrors,
    },
  }),
  async (c) => {
    const { limit, cursor, source } = c.req.valid("query");
    const before = stringCursor(cursor);
    const results = await listDeadLetters(c.env.DB, { source, before, limit: limit + 1 });
    return c.json(pageOf(results, limit, (r) => r.id, toView), 200);
  },
);

/** The answer to a redrive. */
const Redriven = z
  .object({
    id: z.string().describe("The dead letter, now removed."),
    redriven: z.literal(true).describe("Always true."),
    queue: z.string().describe("The queue the work went back on."),
  })
  .openapi({ example: { id: "01JN8ZC3D4E5F6G7H8J9K0L1M2", redriven: true, queue: "herald-messages" } });

deadLetters.openapi(
  createRoute({
    method: "post",
    path: "/v1/dead-letters/{id}/redrive",
    operationId: "redriveDeadLetter",
    tags: ["dead-letters"],
    summary: "Put a dead letter back to work",
    description: "Reopens the failed work with a fresh attempt budget and puts it back on the queue it came from; the dead letter is removed. If the cause is fixed, it then succeeds.",
    request: { params },
    responses: {
      202: { description: "Redriven", content: { "application/json": { schema: Redriven } } },
      ...commonErrors,
      404: problemResponse("No such dead letter"),
    },
  }),
  async (c) => {
    const letter = await find(c.env.DB, c.req.valid("param").id);
    await redrive(c.env, letter);
    return c.json({ id: letter.id, redriven: true as const, queue: letter.queue }, 202);
  },
);

deadLetters.openapi(
  createRoute({
    method: "delete",
    path: "/v1/dead-letters/{id}",
    operationId: "deleteDeadLetter",
    tags: ["dead-letters"],
    summary: "Discard a dead letter",
    description: "Removes it for good; the failed work is not retried.",
    request: { params },
    responses: { 204: { description: "Discarded" }, ...commonErrors, 404: problemResponse("No such dead letter") },
  }),
  async (c) => {
    if (!(await deleteDeadLetter(c.env.DB, c.req.valid("param").id, "discarded"))) throw new ApiError("not_found", "No dead letter has this id.");
    return c.body(null, 204);
  },
);
