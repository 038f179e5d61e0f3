/**
 * The seed's batch accept, reproduced as the baseline Herald must beat by 100× (issue 8): every
 * item is checked with its own SELECT and, when its key is new, inserted with its own statements
 * — a query per item, the pattern docs/api.md#batch-idempotency forbids. It writes the same rows as Herald (the
 * notification with its in-app state, holding its idempotency key) into the same tables, through the same kind of D1
 * binding, inside the same runtime.
 *
 * `POST /batch {items:[{idempotencyKey, userId, title, body, data?}]}` → `{created, duplicate}`.
 * `GET /health` → 200 once the migrated tables are there.
 *
 * Never deployed: the bench writes its wrangler config (one D1 binding on Herald's database id)
 * into the run's temp dir, see `seedWorkerConfig` in bench/scenarios/batch-accept.ts.
 */
interface SeedEnv {
  DB: D1Database;
}

interface Item {
  idempotencyKey: string;
  userId: string;
  title: string;
  body: string;
  data?: Record<string, unknown>;
}

/** The idempotency scope Herald uses for notifications, so both write identical rows. */
const SCOPE = "notifications";
const DAY_MS = 86_400_000;

async function acceptOne(db: D1Database, item: Item, now: number): Promise<"created" | "duplicate"> {
  const existing = await db.prepare(`SELECT id FROM notifications WHERE idempotency_key = ?2 AND key_scope = ?1`).bind(SCOPE, item.idempotencyKey).first();
  if (existing) return "duplicate";
  const id = crypto.randomUUID();
  await db
    .prepare(
      `INSERT INTO notifications (id, user_id, idempotency_key, fingerprint, data, title, body, channels, priority, created_at, updated_at, dispatch_after, in_app_status, key_scope, key_expires_at)
       VALUES (?1, ?2, ?3, '', ?4, ?5, ?6, '["in_app"]', 'normal', ?7, ?7, ?7, 'queued', ?8, ?9)`,
    )
    .bind(id, item.userId, item.idempotencyKey, item.data === undefined ? null : JSON.stringify(item.data), item.title, item.body, now, SCOPE, now + DAY_MS)
    .run();
  return "created";
}

export default {
  async fetch(request, env) {
    const { pathname } = new URL(request.url);
    if (pathname === "/health") {
      await env.DB.prepare(`SELECT key_scope FROM notifications LIMIT 1`).first();
      return new Response("ok");
    }
    if (request.method !== "POST" || pathname !== "/batch") return new Response("not found", { status: 404 });
    const { items } = await request.json<{ items: Item[] }>();
    const summary = { created: 0, duplicate: 0 };
    const now = Date.now();
    // One item after another, each checked then inserted: the seed's shape, kept on purpose.
    for (const item of items) summary[await acceptOne(env.DB, item, now)]++;
    return Response.json(summary);
  },
} satisfies ExportedHandler<SeedEnv>;
