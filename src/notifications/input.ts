import { z } from "@hono/zod-openapi";
import { TAG_PATTERN } from "../inbox/frames";

/** User ids come from the customer's systems: 1–128 url-safe characters (also the inbox's DO name). */
export const UserId = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.:@-]{0,127}$/, "1–128 characters: letters, digits and _ . : @ -")
  .describe("The user's id in your systems: 1–128 characters, letters, digits and `_ . : @ -`.")
  .openapi({ example: "user_42" });

export const CHANNELS = ["in_app", "email", "sms", "push"] as const;
export const Channel = z.enum(CHANNELS).describe("A delivery channel: `in_app` (inbox and WebSocket), `email`, `sms` or `push` (Web Push).");
export type Channel = z.infer<typeof Channel>;
export const Priority = z.enum(["high", "normal", "low"]).describe("Delivery priority: `high` jumps the inbox queue, `low` may wait for a batch.");

/** Preference categories (docs/api.md#preferences): 1–64 of a-z, 0-9, `_`, `.` and `-`. */
export const Category = z
  .string()
  .regex(/^[a-z0-9_.-]{1,64}$/, "1–64 characters: a-z, 0-9 and _ . -")
  .describe("Preference category: 1–64 characters of a-z, 0-9 and `_ . -`.")
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
  .describe("Idempotency key: 1–255 printable ASCII characters; a retry with the same key and body returns the first answer.")
  .openapi({ example: "order-1234-shipped" });

/** docs/api.md#feed: at most 10 tags per notification. */
export const MAX_TAGS = 10;
/** docs/api.md#feed: at most 3 actions per notification. */
export const MAX_ACTIONS = 3;

/** A feed tag (docs/api.md#feed): 1–32 of a-z, 0-9 and `_ . : -`, the pattern the inbox filters by. */
export const Tag = z.string().regex(TAG_PATTERN, "1–32 characters: a-z, 0-9 and _ . : -").describe("A tag for feed tabs and filters.");

/** Up to 10 distinct tags. Exported for workflows, which accept the same field. */
export const Tags = z
  .array(Tag)
  .max(MAX_TAGS)
  .refine((tags) => new Set(tags).size === tags.length, "Tags must not repeat.")
  .describe("Up to 10 distinct tags: the feed's tabs and `?tag=` filter.")
  .openapi({ example: ["billing", "account"] });

/**
 * Whether `url` may be an action's target: an https URL, or a path relative to the app (`/…`, not
 * `//host`, which a browser reads as another site). Anything else — `javascript:`, `http:`, `data:` —
 * would be a click away from the user (docs/api.md#feed).
 */
export function isActionUrl(url: string): boolean {
  if (url.startsWith("/")) return !url.startsWith("//") && !url.startsWith("/\\");
  try {
    return new URL(url).protocol === "https:";
  } catch {
    return false;
  }
}

/** A button on a feed item. Exported for workflows. */
export const Action = z
  .object({
    label: z.string().min(1).max(64).describe("Button text, 1–64 characters."),
    url: z.string().min(1).max(2048).refine(isActionUrl, "An https URL or a path starting with a single `/`.").describe("https URL or an app-relative path."),
  })
  .strict();

/** Up to 3 actions. Exported for workflows, which accept the same field. */
export const Actions = z
  .array(Action)
  .max(MAX_ACTIONS)
  .describe("Up to 3 buttons shown on the feed item.")
  .openapi({ example: [{ label: "View invoice", url: "https://app.example.com/invoices/42" }] });

/** The feed fields a notification may carry (docs/api.md#feed); workflows spread the same object. */
export const feedFields = {
  tags: Tags.optional(),
  actions: Actions.optional(),
};

/** The content and delivery fields a notification and a broadcast share (docs/api.md#notifications). */
const contentFields = {
  template: z.string().min(1).max(128).optional().describe("Name of a stored template to render (`PUT /v1/templates/{name}`); excludes `title`/`body`."),
  data: z.record(z.string(), z.unknown()).optional().describe("Template variables and app data delivered with the notification; at most 16 KiB of JSON."),
  title: z.string().min(1).max(512).optional().describe("Literal title, 1–512 characters; excludes `template`."),
  body: z.string().min(1).max(8192).optional().describe("Literal body, 1–8,192 characters; excludes `template`."),
  channels: z.array(Channel).min(1).max(4).default(["in_app"]).describe("Channels to deliver on, each at most once; default `[\"in_app\"]`."),
  priority: Priority.default("normal"),
  ttlSeconds: z.number().int().min(1).max(MAX_TTL_SECONDS).optional().describe("Seconds after which an unread in-app notification expires, 1 to 30 days; default: never before the inbox's 30-day retention."),
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
  .object({
    userId: UserId,
    ...contentFields,
    ...feedFields,
    delaySeconds: z.number().int().min(0).max(MAX_DELAY_SECONDS).optional().describe("Seconds to hold the notification before it is delivered, 0 to 30 days."),
  })
  .strict()
  .superRefine(checkContent)
  .openapi("NotificationInput", {
    example: {
      userId: "user_42",
      template: "order-shipped",
      data: { orderId: "1234", carrier: "DHL" },
      channels: ["in_app", "email"],
      priority: "normal",
      ttlSeconds: 86400,
      delaySeconds: 0,
      category: "orders",
      critical: false,
    },
  });
export type NotificationInput = z.infer<typeof NotificationInput>;

/** docs/api.md#audiences topic names, as `PUT /v1/topics/{name}` takes them. */
export const TopicName = z
  .string()
  .max(128)
  .regex(/^[a-z0-9_]+(\.[a-z0-9_]+)*$/, "Lowercase words of a-z, 0-9 and _, joined by dots.")
  .describe("Topic name: up to 128 characters, lowercase words of a-z, 0-9 and `_` joined by dots.")
  .openapi({ example: "wallet.recharged" });

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
    ...feedFields,
    channels: z
      .array(z.literal("in_app", { error: BROADCAST_IN_APP_ONLY }))
      .min(1)
      .max(1, { error: BROADCAST_IN_APP_ONLY })
      .default(["in_app"])
      .describe("Only `in_app`: a broadcast reaches each recipient's inbox; other channels are refused with `validation_failed`."),
  })
  .strict()
  .superRefine(checkContent)
  .openapi("BroadcastInput", {
    example: {
      topic: "wallet.recharged",
      title: "Top-up bonus",
      body: "Recharge today and get 10% extra.",
      data: { campaign: "spring" },
      channels: ["in_app"],
      priority: "low",
      ttlSeconds: 604800,
      category: "marketing",
      critical: false,
    },
  });
export type BroadcastInput = z.infer<typeof BroadcastInput>;

/** Byte size of `data` as JSON, for the 16 KiB limit. */
export function dataBytes(data: Record<string, unknown> | undefined): number {
  return data === undefined ? 0 : new TextEncoder().encode(JSON.stringify(data)).byteLength;
}
