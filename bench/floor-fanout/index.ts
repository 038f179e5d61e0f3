/**
 * The floor of a one-object-per-user fan-out on local workerd, with no Herald code
 * (bench/floor-fanout/run.ts drives it): one SQLite Durable Object per user whose RPC does one
 * INSERT, called for a chunk of user ids at a time with every call of the chunk in flight at
 * once, as Herald's broadcast consumer calls its inboxes (src/queues/broadcasts.ts).
 *
 * `POST /chunk {prefix, from, count, concurrency, item, readOnly?}` calls `deliver(item)` (or, with
 * `readOnly`, `count`) on (with `objects: "storage"`, on {@link StorageInbox}es instead) the objects of users
 * `<prefix>-u<from>` … `<prefix>-u<from+count-1>`, `concurrency` calls in flight at a time, and
 * answers `{ms, failed}` (wall time of the calls in ms, calls that threw).
 * `GET /health` → 200.
 */
import { DurableObject } from "cloudflare:workers";
import { FeedCountCache } from "../../src/inbox/count-cache";
import { storeItems } from "../../src/inbox/items";
import { openInbox, RETENTION_MS, type Meta } from "../../src/inbox/schema";

interface FloorEnv {
  INBOX: DurableObjectNamespace<FloorInbox>;
  STORAGE_INBOX: DurableObjectNamespace<StorageInbox>;
}

/** A per-user object doing what the floor allows: a table, and one INSERT per call. */
export class FloorInbox extends DurableObject<FloorEnv> {
  private readonly sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: FloorEnv) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec(`CREATE TABLE IF NOT EXISTS inbox (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, body TEXT)`);
  }

  /** Stores item `id` once (a known id is kept). @returns the rows this inbox holds. */
  async deliver(id: string, body: string): Promise<number> {
    this.sql.exec(`INSERT INTO inbox (id, body) VALUES (?1, ?2) ON CONFLICT (id) DO NOTHING`, id, body);
    return this.count();
  }

  /** The rows this inbox holds: a call that writes nothing, to tell the RPC's cost from the write's. */
  async count(): Promise<number> {
    return this.sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM inbox`).one().n;
  }
}

/**
 * The same call on Herald's inbox storage and nothing else: the UserInbox's schema
 * (src/inbox/schema.ts `openInbox`) and its insert (src/inbox/items.ts `storeItems`), without the
 * RPC's other work (alarm, sockets, mirror). Tells the cost of Herald's storage from the floor's.
 */
export class StorageInbox extends DurableObject<FloorEnv> {
  private readonly sql: SqlStorage;
  private readonly meta: Meta;
  private readonly counts: FeedCountCache;

  constructor(ctx: DurableObjectState, env: FloorEnv) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.meta = openInbox(this.sql);
    this.counts = new FeedCountCache(this.sql);
  }

  /** Stores item `id` once. @returns the rows this inbox holds. */
  async deliver(id: string, body: string): Promise<number> {
    const now = Date.now();
    storeItems(this.sql, this.meta, this.counts, [{ id, title: null, body, data: null, priority: "normal", createdAt: now, expiresAt: null }], now, RETENTION_MS);
    return this.meta.number("items");
  }

  /**
   * Stores item `id` with one plain single-row INSERT into the same table and the same two `meta`
   * writes: tells the cost of `storeItems`' statement (JSON, window, join) from the table's own.
   */
  async deliverPlain(id: string, body: string): Promise<number> {
    const now = Date.now();
    const seq = this.meta.number("seq") + 1;
    this.sql.exec(
      `INSERT INTO inbox (seq, id, body, priority, created_at, purge_at, updated_at, arrived_at, category, tags, actions)
       VALUES (?1, ?2, ?3, 'normal', ?4, ?5, ?4, ?4, 'general', '[]', '[]') ON CONFLICT (id) DO NOTHING`,
      seq,
      id,
      body,
      now,
      now + RETENTION_MS,
    );
    this.meta.set("seq", seq);
    this.meta.set("items", this.meta.number("items") + 1);
    return this.meta.number("items");
  }

  /** The items this inbox holds, from `meta` in memory: a call that writes nothing. */
  async count(): Promise<number> {
    return this.meta.number("items");
  }
}

interface ChunkRequest {
  prefix: string;
  from: number;
  count: number;
  concurrency: number;
  item: string;
  /** `count` instead of `deliver`: the same call without the write. */
  readOnly?: boolean;
  /** `storage`: the objects are {@link StorageInbox}es (Herald's inbox schema and insert); `plain`: the same objects, storing through `deliverPlain`. */
  objects?: "floor" | "storage" | "plain";
}

export default {
  async fetch(request: Request, env: FloorEnv): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname === "/health") return new Response("ok");
    if (url.pathname !== "/chunk" || request.method !== "POST") return new Response("not found", { status: 404 });
    const { prefix, from, count, concurrency, item, readOnly, objects } = (await request.json()) as ChunkRequest;
    const namespace: DurableObjectNamespace<FloorInbox | StorageInbox> = objects === "storage" || objects === "plain" ? env.STORAGE_INBOX : env.INBOX;
    const started = Date.now();
    let next = from;
    let failed = 0;
    const worker = async () => {
      while (next < from + count) {
        const userId = `${prefix}-u${String(next++).padStart(6, "0")}`;
        try {
          const stub = namespace.get(namespace.idFromName(userId));
          if (readOnly) await stub.count();
          else if (objects === "plain") await (stub as DurableObjectStub<StorageInbox>).deliverPlain(item, "Scheduled maintenance");
          else await stub.deliver(item, "Scheduled maintenance");
        } catch {
          failed++;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
    return Response.json({ ms: Date.now() - started, failed });
  },
};
