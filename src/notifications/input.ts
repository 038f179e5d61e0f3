import { z } from "@hono/zod-openapi";

/** User ids come from the customer's systems: 1–128 url-safe characters (also the inbox's DO name). */
export const UserId = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.:@-]{0,127}$/, "1–128 characters: letters, digits and _ . : @ -")
  .openapi({ example: "user_42" });

export const CHANNELS = ["in_app", "email", "sms", "push"] as const;
export const Channel = z.enum(CHANNELS);
export type Channel = z.infer<typeof Channel>;
export const Priority = z.enum(["high", "normal", "low"]);

/** Preference categories (docs/api.md#preferences): 1–64 of a-z, 0-9, `_`, `.` and `-`. */
export const Category = z
  .string()
  .regex(/^[a-z0-9_.-]{1,64}$/, "1–64 characters: a-z, 0-9 and _ . -")
  .openapi({ example: "billing" });
/** The category of a notification that names none and whose template names none. */
export const DEFAULT_CATEGORY = "general";

/** docs/api.md#limits: notification `data` is at most 16 KiB of JSON. */
export const MAX_DATA_BYTES = 16 * 1024;
/** Inbox items live at most 30 days unread (docs/data-model.md#userinbox-storage), so a TTL or delay past that is meaningless. */
export const MAX_TTL_SECONDS = 30 * 86_400;
export const MAX_DELAY_SECONDS = 30 * 86_400;

/** `Idempotency-Key`: 1–255 printable ASCII characters (docs/api.md#idempotency). */
export const IdempotencyKey = z
  .string()
  .regex(/^[\x20-\x7e]{1,255}$/, "1–255 printable ASCII characters")
  .openapi({ example: "order-1234-shipped" });

/** The content and delivery fields a notification and a broadcast share (docs/api.md#notifications). */
const contentFields = {
  template: z.string().min(1).max(128).optional(),
  data: z.record(z.string(), z.unknown()).optional(),
  title: z.string().min(1).max(512).optional(),
  body: z.string().min(1).max(8192).optional(),
  channels: z.array(Channel).min(1).max(4).default(["in_app"]),
  priority: Priority.default("normal"),
  ttlSeconds: z.number().int().min(1).max(MAX_TTL_SECONDS).optional(),
  // No defaults here: an absent field stays out of the canonical body, so fingerprints of
  // requests that name neither are what they were before these fields existed.
  category: Category.optional().openapi({ description: "Preference category; default: the template's, else `general`." }),
  critical: z.boolean().optional().openapi({ description: "Security alerts, one-time codes: bypasses preferences and quiet hours." }),
};

/** The rules over the content fields both requests check: `template` xor literal text, no repeated channel. */
function checkContent(v: { template?: string; title?: string; body?: string; channels: string[] }, ctx: z.RefinementCtx) {
  const literal = v.title !== undefined || v.body !== undefined;
  if (v.template !== undefined && literal) {
    ctx.addIssue({ code: "custom", path: ["template"], message: "Give either `template` or `title`/`body`, not both." });
  }
  if (v.template === undefined && !literal) {
    ctx.addIssue({ code: "custom", path: ["title"], message: "Give `template` or at least one of `title`/`body`." });
  }
  if (new Set(v.channels).size !== v.channels.length) {
    ctx.addIssue({ code: "custom", path: ["channels"], message: "Channels must not repeat." });
  }
}

/**
 * A notification request (docs/api.md#notifications): either `template` (+ `data`) or literal `title`/`body`.
 * Unknown fields are refused so a typo is not silently ignored.
 */
export const NotificationInput = z
  .object({ userId: UserId, ...contentFields, delaySeconds: z.number().int().min(0).max(MAX_DELAY_SECONDS).optional() })
  .strict()
  .superRefine(checkContent)
  .openapi("NotificationInput");
export type NotificationInput = z.infer<typeof NotificationInput>;

/** docs/api.md#audiences topic names, as `PUT /v1/topics/{name}` takes them. */
export const TopicName = z.string().max(128).regex(/^[a-z0-9_]+(\.[a-z0-9_]+)*$/, "Lowercase words of a-z, 0-9 and _, joined by dots.").openapi({ example: "wallet.recharged" });

/**
 * Why a broadcast refuses other channels and delays (docs/api.md#audiences): per-recipient
 * email/SMS/push sends and delays need a notification row per recipient, which is what a broadcast
 * avoids. Refused, never dropped: the request names what to do instead.
 */
export const BROADCAST_IN_APP_ONLY = "A broadcast reaches the in-app inbox only: send email, SMS or push to each user with `userId`.";
export const BROADCAST_NOT_DELAYED = "A broadcast goes out at once: `delaySeconds` is for a notification to one `userId`.";

/**
 * A broadcast request (docs/api.md#audiences): `topic` in place of `userId`. Broadcasts reach the
 * in-app inbox only and go out at once (see {@link BROADCAST_IN_APP_ONLY}).
 */
export const BroadcastInput = z
  .object({
    topic: TopicName,
    ...contentFields,
    channels: z
      .array(z.literal("in_app", { error: BROADCAST_IN_APP_ONLY }))
      .min(1)
      .max(1, { error: BROADCAST_IN_APP_ONLY })
      .default(["in_app"])
      .describe("Only `in_app`: a broadcast reaches each recipient's inbox; other channels are refused with `validation_failed`."),
  })
  .strict()
  .superRefine(checkContent)
  .openapi("BroadcastInput");
export type BroadcastInput = z.infer<typeof BroadcastInput>;

/** Byte size of `data` as JSON, for the 16 KiB limit. */
export function dataBytes(data: Record<string, unknown> | undefined): number {
  return data === undefined ? 0 : new TextEncoder().encode(JSON.stringify(data)).byteLength;
}
