/**
 * The baseline for the in-app scenarios (issue 8): a minimal Node `ws` + `http` hub speaking the
 * subset of Herald's protocol the bench uses, so the very same HeraldClient instances connect to
 * either. It is what a hand-written single-process hub does and nothing more:
 *
 * - `POST /v1/notifications {userId, title, body, data}` assigns the user's next `seq` in memory
 *   and sends the frame to every socket of that user (fan-out in memory, no storage, no queue);
 * - `GET /v1/me/connect?token=<jwt>&since=<seq>` upgrades; the user is the token's `sub`, read
 *   without checking the signature (Herald checks it once per connect, off the measured paths);
 *   the hub answers `hello` and, with `--db`, sends every stored row of the user with
 *   seq > since, read from SQLite in one query;
 * - client `ack` frames are recorded, `ping` answered. No window, no delivery state.
 *
 * Runs as its own process (`node bench/hub.ts [--db <sqlite file>]`) so its memory and CPU are
 * measured apart from the bench's clients, like workerd's. Prints `{"port":N}` once listening on
 * 127.0.0.1, and exits on SIGTERM or when its parent's stdin closes.
 */
import Database from "better-sqlite3";
import type { IncomingMessage } from "node:http";
import { WebSocketServer, type WebSocket } from "ws";
import { notificationServer, serveBaseline, subjectOf } from "./baseline-server.ts";

/** The hub's table: the columns of Herald's inbox items plus the owner. */
export const HUB_SCHEMA = `CREATE TABLE IF NOT EXISTS inbox (
  user_id TEXT NOT NULL, seq INTEGER NOT NULL, id TEXT NOT NULL, title TEXT, body TEXT, data TEXT,
  priority TEXT NOT NULL, created_at INTEGER NOT NULL, expires_at INTEGER, read_at INTEGER,
  PRIMARY KEY (user_id, seq))`;

interface StoredRow {
  seq: number;
  id: string;
  title: string | null;
  body: string | null;
  data: string | null;
  priority: string;
  created_at: number;
  expires_at: number | null;
  read_at: number | null;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function main(): void {
  const dbIndex = process.argv.indexOf("--db");
  const db = dbIndex > 0 ? new Database(process.argv[dbIndex + 1]!, { readonly: true, fileMustExist: true }) : null;
  const storedAfter = db?.prepare<[string, number], StoredRow>(
    `SELECT seq, id, title, body, data, priority, created_at, expires_at, read_at FROM inbox WHERE user_id = ? AND seq > ? ORDER BY seq`,
  );

  const sockets = new Map<string, Set<WebSocket>>();
  const lastSeq = new Map<string, number>();
  let nextConnection = 0;

  const server = notificationServer("hub", lastSeq, (userId, frame) => {
    const text = JSON.stringify(frame);
    for (const ws of sockets.get(userId) ?? []) ws.send(text);
  });

  const wss = new WebSocketServer({ server, path: "/v1/me/connect", perMessageDeflate: false });
  wss.on("connection", (ws: WebSocket, req: IncomingMessage) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const userId = subjectOf(url.searchParams.get("token") ?? "");
    if (userId === null) return ws.close(4001, "bad token");
    const since = Number(url.searchParams.get("since") ?? 0);
    let userSockets = sockets.get(userId);
    if (!userSockets) sockets.set(userId, (userSockets = new Set()));
    userSockets.add(ws);
    ws.on("close", () => userSockets.delete(ws));
    ws.on("message", (message) => {
      const frame = JSON.parse(message.toString()) as { type: string };
      if (frame.type === "ping") ws.send('{"type":"pong"}');
    });
    const rows = storedAfter?.all(userId, since) ?? [];
    const stored = rows.length > 0 ? rows[rows.length - 1]!.seq : 0;
    ws.send(JSON.stringify({ type: "hello", userId, connectionId: `c${++nextConnection}`, lastSeq: Math.max(stored, lastSeq.get(userId) ?? 0), unreadCount: rows.length }));
    for (const row of rows) {
      ws.send(
        JSON.stringify({
          type: "notification",
          seq: row.seq,
          notification: {
            id: row.id,
            title: row.title,
            body: row.body,
            data: row.data === null ? null : JSON.parse(row.data),
            priority: row.priority,
            createdAt: iso(row.created_at),
            expiresAt: iso(row.expires_at),
            readAt: iso(row.read_at),
          },
        }),
      );
    }
  });

  serveBaseline(server);
}

if (import.meta.filename === process.argv[1]) main();
