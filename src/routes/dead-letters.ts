/**
 * Dead letters (docs/api.md#retries-and-dead-letters): work that exhausted its retries, kept with its last error so a person
 * can inspect it, fix the cause, and redrive it — or discard it.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { deleteDeadLetter, findDeadLetter, listDeadLetters, DeadLetterSource, type DeadLetter } from "../db/dead-letters";
import { createRouter } from "../http/router";
import { commonErrors, PageQuery, problemResponse } from "../http/schemas";
import { pageOf, stringCursor } from "../lib/cursor";
import { ApiError } from "../lib/errors";
import { redrive } from "../queues/redrive";

export const deadLetters = createRouter();

const DeadLetterView = z
  .object({
    id: z.string(),
    source: z.string().openapi({ description: "`message`, `channel`, `sync` (or `behaviour` for behaviour batches)." }),
    sourceId: z.string().nullable(),
    payload: z.unknown(),
    attempts: z.number().int(),
    lastError: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi("DeadLetter");

const toView = (r: DeadLetter): z.infer<typeof DeadLetterView> => ({
  id: r.id,
  source: r.source,
  sourceId: r.sourceId,
  payload: r.payload,
  attempts: r.attempts,
  lastError: r.lastError,
  createdAt: new Date(r.createdAt).toISOString(),
});

const params = z.object({ id: z.string().min(1).max(64) });

async function find(db: D1Database, id: string): Promise<DeadLetter> {
  const row = await findDeadLetter(db, id);
  if (!row) throw new ApiError("not_found", "No dead letter has this id.");
  return row;
}

deadLetters.openapi(
  createRoute({
    method: "get",
    path: "/v1/dead-letters",
    tags: ["dead letters"],
    summary: "List dead letters",
    description: "Newest first, paginated, optionally by `source`.",
    request: { query: PageQuery.extend({ source: DeadLetterSource.optional() }) },
    responses: {
      200: { description: "A page", content: { "application/json": { schema: z.object({ items: z.array(DeadLetterView), nextCursor: z.string().nullable() }) } } },
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

deadLetters.openapi(
  createRoute({
    method: "post",
    path: "/v1/dead-letters/{id}/redrive",
    tags: ["dead letters"],
    summary: "Put a dead letter back to work",
    description: "Reopens the failed work with a fresh attempt budget and puts it back on the queue it came from; the dead letter is removed. If the cause is fixed, it then succeeds.",
    request: { params },
    responses: {
      202: { description: "Redriven", content: { "application/json": { schema: z.object({ id: z.string(), redriven: z.literal(true), queue: z.string() }) } } },
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
    tags: ["dead letters"],
    summary: "Discard a dead letter",
    request: { params },
    responses: { 204: { description: "Discarded" }, ...commonErrors, 404: problemResponse("No such dead letter") },
  }),
  async (c) => {
    if (!(await deleteDeadLetter(c.env.DB, c.req.valid("param").id, "discarded"))) throw new ApiError("not_found", "No dead letter has this id.");
    return c.body(null, 204);
  },
);
