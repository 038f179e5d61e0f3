/**
 * Sync targets, deliveries and reconciliation (docs/api.md#user-sync). Targets receive user events as
 * Standard Webhooks; their `whsec_` secret is shown once at creation and rotation, stored
 * encrypted, never listed.
 */
import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../env";
import { deleteAcksOfTargetStatement } from "../db/sync-acks";
import { listSyncDeliveries, reopenForRetry, SyncDeliveryStatus, type SyncDeliveryRow } from "../db/sync-deliveries";
import { deleteTargetStatement, findTarget, insertTarget, listTargets, patchTarget, rotateTargetSecret, type TargetRow } from "../db/sync-targets";
import { createRouter } from "../http/router";
import { commonErrors, jsonRequest, PageQuery, pageSchema, problemResponse } from "../http/schemas";
import { pageOf, stringCursor } from "../lib/cursor";
import { ApiError } from "../lib/errors";
import { newId } from "../lib/ids";
import { newWebhookSecret, sealSecret } from "../lib/secret-box";
import { assertOutboundUrl, outboundUrlOptions } from "../lib/url-policy";
import { syncConfig } from "../sync/config";
import type { SyncMessage } from "../sync/deliver";
import { reconcileNow } from "../sync/reconcile";
import { USER_EVENT_TYPES } from "../sync/users";

export const sync = createRouter();

/** During a rotation the old secret keeps signing this long (Standard Webhooks allows several signatures). */
const ROTATION_OVERLAP_MS = 24 * 3600 * 1000;
/** Users one reconcile request scans per target before continuing on the queue. */
const RECONCILE_BUDGET = 5000;

const EventTypes = z.array(z.enum(USER_EVENT_TYPES)).min(1).max(USER_EVENT_TYPES.length).describe("User event types to send; omitted or `null`: all of them.");
const TargetUrl = z.url({ protocol: /^https?$/ }).max(2048).describe("The https URL that receives the signed user events (public hosts only).");

const TARGET_EXAMPLE = {
  id: "01JN8Z9C4D5E6F7G8H9J0K1M2N",
  name: "crm",
  url: "https://crm.example.com/hooks/herald",
  events: ["user.created", "user.updated"] as ("user.created" | "user.updated")[],
  enabled: true,
  disabledReason: null,
  previousSecretExpiresAt: null,
  createdAt: "2026-03-01T09:00:00.000Z",
  updatedAt: "2026-03-01T09:00:00.000Z",
};

const TargetView = z
  .object({
    id: z.string().describe("Target id (ULID)."),
    name: z.string().describe("Your name for the target."),
    url: z.string().describe("Where user events are POSTed."),
    events: EventTypes.nullable().openapi({ description: "Event types sent; null for all." }),
    enabled: z.boolean().describe("False once disabled (by you, or after its endpoint kept failing)."),
    disabledReason: z.string().nullable().describe("Why it was disabled."),
    previousSecretExpiresAt: z.string().nullable().describe("After a rotation, the old secret also signs until this time (ISO 8601)."),
    createdAt: z.string().describe("When it was registered (ISO 8601)."),
    updatedAt: z.string().describe("When it last changed (ISO 8601)."),
  })
  .openapi("SyncTarget", { example: TARGET_EXAMPLE });

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function toTarget(row: TargetRow): z.infer<typeof TargetView> {
  return {
    id: row.id,
    name: row.name,
    url: row.url,
    events: row.events === null ? null : (JSON.parse(row.events) as z.infer<typeof EventTypes>),
    enabled: row.enabled,
    disabledReason: row.disabledReason,
    previousSecretExpiresAt: iso(row.previousSecretExpiresAt),
    createdAt: new Date(row.createdAt).toISOString(),
    updatedAt: new Date(row.updatedAt).toISOString(),
  };
}

/** docs/api.md#user-sync / issues 9, 14: the outbound URL rule (src/lib/url-policy.ts), http only in development. */
function assertUrlAllowed(c: Context<AppEnv>, url: string) {
  assertOutboundUrl(url, outboundUrlOptions(c.env));
}

async function requireTarget(db: D1Database, id: string): Promise<TargetRow> {
  const row = await findTarget(db, id);
  if (!row) throw new ApiError("not_found", "No sync target has this id.");
  return row;
}

const targetParams = z.object({ id: z.string().min(1).max(64).describe("Target id (ULID).") });
const targetResponse = (description: string) => ({ description, content: { "application/json": { schema: TargetView } } });

sync.openapi(
  createRoute({
    method: "post",
    path: "/v1/sync/targets",
    operationId: "createSyncTarget",
    tags: ["sync"],
    summary: "Register a sync target",
    description: "Returns the `whsec_` signing secret once; it is stored encrypted and never shown again.",
    request: jsonRequest(
      z
        .object({ name: z.string().min(1).max(100).describe("Your name for the target, 1–100 characters."), url: TargetUrl, events: EventTypes.optional() })
        .strict()
        .openapi("SyncTargetInput", { example: { name: "crm", url: "https://crm.example.com/hooks/herald", events: ["user.created", "user.updated"] } }),
    ),
    responses: {
      201: { description: "Created", content: { "application/json": { schema: TargetView.extend({ secret: z.string().describe("The `whsec_` signing secret, returned this once.") }).openapi({
            example: { ...TARGET_EXAMPLE, secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" },
          }) } } },
      ...commonErrors,
    },
  }),
  async (c) => {
    const input = c.req.valid("json");
    assertUrlAllowed(c, input.url);
    const secret = newWebhookSecret();
    const now = Date.now();
    const row = await insertTarget(
      c.env.DB,
      { id: `tgt_${newId()}`, name: input.name, url: input.url, events: input.events ? JSON.stringify(input.events) : null, secret: await sealSecret(c.env, secret) },
      now,
    );
    return c.json({ ...toTarget(row), secret }, 201);
  },
);

sync.openapi(
  createRoute({
    method: "get",
    path: "/v1/sync/targets",
    operationId: "listSyncTargets",
    tags: ["sync"],
    summary: "List sync targets",
    description: "Oldest first, paginated. Secrets are never listed.",
    request: { query: PageQuery },
    responses: {
      200: { description: "A page", content: { "application/json": { schema: pageSchema(TargetView, TARGET_EXAMPLE) } } },
      ...commonErrors,
    },
  }),
  async (c) => {
    const { limit, cursor } = c.req.valid("query");
    const after = stringCursor(cursor);
    const results = await listTargets(c.env.DB, after, limit + 1);
    return c.json(pageOf(results, limit, (r) => r.id, toTarget), 200);
  },
);

sync.openapi(
  createRoute({
    method: "get",
    path: "/v1/sync/targets/{id}",
    operationId: "getSyncTarget",
    tags: ["sync"],
    summary: "Get a sync target",
    description: "The target's settings (its secret is never shown again).",
    request: { params: targetParams },
    responses: { 200: targetResponse("The target"), ...commonErrors, 404: problemResponse("No such target") },
  }),
  async (c) => c.json(toTarget(await requireTarget(c.env.DB, c.req.valid("param").id)), 200),
);

sync.openapi(
  createRoute({
    method: "patch",
    path: "/v1/sync/targets/{id}",
    operationId: "updateSyncTarget",
    tags: ["sync"],
    summary: "Change a sync target",
    description: "`enabled: true` re-enables a target disabled by a 410; reconciliation then brings it up to date.",
    request: {
      params: targetParams,
      ...jsonRequest(
        z
          .object({ url: TargetUrl.optional(), events: EventTypes.nullable().optional(), enabled: z.boolean().optional().describe("Turn the target off or back on.") })
          .strict()
          .openapi("SyncTargetPatch", { example: { url: "https://crm.example.com/hooks/herald-v2", events: null, enabled: true } }),
      ),
    },
    responses: { 200: targetResponse("The target"), ...commonErrors, 404: problemResponse("No such target") },
  }),
  async (c) => {
    const { id } = c.req.valid("param");
    const patch = c.req.valid("json");
    if (patch.url !== undefined) assertUrlAllowed(c, patch.url);
    const row = await patchTarget(
      c.env.DB,
      id,
      { url: patch.url, events: patch.events === undefined ? undefined : patch.events ? JSON.stringify(patch.events) : null, enabled: patch.enabled },
      Date.now(),
    );
    if (!row) throw new ApiError("not_found", "No sync target has this id.");
    return c.json(toTarget(row), 200);
  },
);

sync.openapi(
  createRoute({
    method: "delete",
    path: "/v1/sync/targets/{id}",
    operationId: "deleteSyncTarget",
    tags: ["sync"],
    summary: "Delete a sync target",
    description: "Pending deliveries to it end `failed` (target deleted) when next attempted.",
    request: { params: targetParams },
    responses: { 204: { description: "Deleted" }, ...commonErrors, 404: problemResponse("No such target") },
  }),
  async (c) => {
    const { id } = c.req.valid("param");
    const [deleted] = await c.env.DB.batch([
      deleteTargetStatement(c.env.DB, id),
      deleteAcksOfTargetStatement(c.env.DB, id),
    ]);
    if (deleted!.meta.changes === 0) throw new ApiError("not_found", "No sync target has this id.");
    return c.body(null, 204);
  },
);

/** The answer to a secret rotation. */
const RotatedSecret = z
  .object({
    secret: z.string().describe("The new `whsec_` signing secret, returned this once."),
    previousSecretExpiresAt: z.string().describe("Until this time (ISO 8601) the old secret signs too, so receivers can switch."),
  })
  .openapi({ example: { secret: "whsec_Zr0b2x7xS9qk4mQJ1n6VdE3yT8uW5aHc", previousSecretExpiresAt: "2026-03-02T09:00:00.000Z" } });

sync.openapi(
  createRoute({
    method: "post",
    path: "/v1/sync/targets/{id}/rotate-secret",
    operationId: "rotateSyncTargetSecret",
    tags: ["sync"],
    summary: "Rotate a target's signing secret",
    description: "Returns the new secret once. For 24 hours messages carry two signatures (old and new secret), so receivers can switch without dropping any.",
    request: { params: targetParams },
    responses: {
      200: { description: "Rotated", content: { "application/json": { schema: RotatedSecret } } },
      ...commonErrors,
      404: problemResponse("No such target"),
    },
  }),
  async (c) => {
    const { id } = c.req.valid("param");
    const secret = newWebhookSecret();
    const now = Date.now();
    if (!(await rotateTargetSecret(c.env.DB, id, await sealSecret(c.env, secret), now + ROTATION_OVERLAP_MS, now))) throw new ApiError("not_found", "No sync target has this id.");
    return c.json({ secret, previousSecretExpiresAt: new Date(now + ROTATION_OVERLAP_MS).toISOString() }, 200);
  },
);

const DeliveryStatus = SyncDeliveryStatus;
const SYNC_DELIVERY_EXAMPLE = {
  id: "01JN8ZA1B2C3D4E5F6G7H8J9K0",
  targetId: "01JN8Z9C4D5E6F7G8H9J0K1M2N",
  userId: "user_42",
  type: "user.updated",
  version: 3,
  status: "succeeded" as const,
  attempts: 1,
  latencyMs: 92,
  lastStatusCode: 200,
  lastError: null,
  nextAttemptAt: null,
  createdAt: "2026-03-02T10:30:00.000Z",
  updatedAt: "2026-03-02T10:30:00.150Z",
  deliveredAt: "2026-03-02T10:30:00.150Z",
};

const DeliveryView = z
  .object({
    id: z.string().openapi({ description: "Also the `webhook-id` header, stable across retries." }),
    targetId: z.string().describe("The target it goes to."),
    userId: z.string().describe("The user the event is about."),
    type: z.string().describe("The user event type (`user.updated`...)."),
    version: z.number().int().describe("The user version the event carries."),
    status: DeliveryStatus.describe("`pending`, `succeeded`, `failed` (will retry), `superseded` (a newer version was sent) or `dead`."),
    attempts: z.number().int().describe("Attempts made so far."),
    latencyMs: z.number().int().nullable().describe("Duration of the last attempt, in milliseconds."),
    lastStatusCode: z.number().int().nullable().describe("HTTP status of the last attempt."),
    lastError: z.string().nullable().describe("The last attempt's error, when it failed."),
    nextAttemptAt: z.string().nullable().describe("When the next retry is due (ISO 8601), if one is."),
    createdAt: z.string().describe("When the event was enqueued (ISO 8601)."),
    updatedAt: z.string().describe("When the delivery last changed (ISO 8601)."),
    deliveredAt: z.string().nullable().describe("When the target acknowledged it with a 2xx (ISO 8601)."),
  })
  .openapi("SyncDelivery", { example: SYNC_DELIVERY_EXAMPLE });

const toDelivery = (r: SyncDeliveryRow): z.infer<typeof DeliveryView> => ({
  id: r.id,
  targetId: r.targetId,
  userId: r.userId,
  type: r.eventType,
  version: r.version,
  status: r.status,
  attempts: r.attempts,
  latencyMs: r.latencyMs,
  lastStatusCode: r.lastStatusCode,
  lastError: r.lastError,
  nextAttemptAt: iso(r.nextAttemptAt),
  createdAt: new Date(r.createdAt).toISOString(),
  updatedAt: new Date(r.updatedAt).toISOString(),
  deliveredAt: iso(r.deliveredAt),
});

sync.openapi(
  createRoute({
    method: "get",
    path: "/v1/sync/deliveries",
    operationId: "listSyncDeliveries",
    tags: ["sync"],
    summary: "List sync deliveries",
    description: "Newest first, paginated, filtered by `targetId` and `status`; attempts, latency (ms) and last error per delivery.",
    request: { query: PageQuery.extend({
        targetId: z.string().max(64).optional().describe("Only deliveries to this target."),
        status: DeliveryStatus.optional().describe("Only deliveries in this status."),
      }) },
    responses: {
      200: { description: "A page", content: { "application/json": { schema: pageSchema(DeliveryView, SYNC_DELIVERY_EXAMPLE) } } },
      ...commonErrors,
    },
  }),
  async (c) => {
    const { limit, cursor, targetId, status } = c.req.valid("query");
    const before = stringCursor(cursor);
    const results = await listSyncDeliveries(c.env.DB, { targetId, status, before, limit: limit + 1 });
    return c.json(pageOf(results, limit, (r) => r.id, toDelivery), 200);
  },
);

sync.openapi(
  createRoute({
    method: "post",
    path: "/v1/sync/deliveries/{id}/retry",
    operationId: "retrySyncDelivery",
    tags: ["sync"],
    summary: "Retry a sync delivery now",
    description: "Puts a failed, dead or pending delivery back on the queue with a fresh attempt budget; the `webhook-id` stays the same.",
    request: { params: z.object({ id: z.string().min(1).max(64).describe("Delivery id (ULID).") }) },
    responses: {
      202: { description: "Queued", content: { "application/json": { schema: DeliveryView } } },
      ...commonErrors,
      404: problemResponse("No such delivery"),
      409: problemResponse("Already succeeded or superseded, or its target is disabled"),
    },
  }),
  async (c) => {
    const { id } = c.req.valid("param");
    const now = Date.now();
    const { row, status } = await reopenForRetry(c.env.DB, id, now);
    if (!row) {
      if (status === null) throw new ApiError("not_found", "No sync delivery has this id.");
      throw new ApiError("conflict", `This delivery is ${status} or its target is disabled or gone; nothing to retry.`);
    }
    await c.env.SYNC.send({ kind: "deliver", ids: [id] } satisfies SyncMessage);
    return c.json(toDelivery(row), 202);
  },
);

/** The optional body of a reconcile request. */
const ReconcileInput = z
  .object({
    targetId: z.string().max(64).optional().describe("Reconcile this target only; default: every enabled target."),
    graceSeconds: z.number().int().min(0).max(86_400).optional().describe("Lag younger than this is left to the retries, 0 to 86,400 s; default `SYNC_GRACE_SECONDS` (300)."),
  })
  .strict()
  .openapi({ example: { targetId: "01JN8Z9C4D5E6F7G8H9J0K1M2N", graceSeconds: 300 } });

/** What a reconcile request scanned and repaired. */
const ReconcileResult = z
  .object({
    targets: z.number().int().describe("Targets checked."),
    scanned: z.number().int().describe("Users scanned in this request."),
    repairsEnqueued: z.number().int().describe("`user.snapshot` repairs enqueued."),
    complete: z.boolean().describe("False when the scan continues on the queue."),
  })
  .openapi({ example: { targets: 1, scanned: 1200, repairsEnqueued: 3, complete: true } });

sync.openapi(
  createRoute({
    method: "post",
    path: "/v1/sync/reconcile",
    operationId: "reconcileSync",
    tags: ["sync"],
    summary: "Find and repair drift between users and targets",
    description: [
      "For every enabled target (or `targetId`), finds each user whose acknowledged version lags its version — users",
      "created before the target existed included — past the grace period (`graceSeconds`, default `SYNC_GRACE_SECONDS`, 300),",
      "and enqueues a `user.snapshot` repair. Scans in bounded chunks; what one request does not reach continues on the queue",
      "(`complete: false`). The cron runs the same check continuously.",
    ].join(" "),
    request: {
      body: {
        required: false,
        content: { "application/json": { schema: ReconcileInput } },
      },
    },
    responses: {
      200: {
        description: "Scan result",
        content: { "application/json": { schema: ReconcileResult } },
      },
      ...commonErrors,
      404: problemResponse("No such target"),
    },
  }),
  async (c) => {
    const body = c.req.valid("json") as { targetId?: string; graceSeconds?: number };
    if (body.targetId) await requireTarget(c.env.DB, body.targetId);
    const graceMs = (body.graceSeconds ?? syncConfig(c.env).graceSeconds) * 1000;
    return c.json(await reconcileNow(c.env, { targetId: body.targetId, graceMs, budget: RECONCILE_BUDGET }), 200);
  },
);
