/**
 * Fleets of HeraldClient instances (packages/client), one per user, on `ws` sockets. The same fleet
 * code connects to Herald and to the baseline hub, so both are measured with identical clients.
 */
import WebSocket from "ws";
import { io, type Socket } from "socket.io-client";
import { HeraldClient, type ServerFrame } from "../../packages/client/src/index.ts";
import { now, within } from "./stats.ts";

export type NotificationFrame = Extract<ServerFrame, { type: "notification" }>;

/**
 * `ws` without permessage-deflate: workerd does not negotiate it, so the hub must not get it
 * either, or the two would not carry the same bytes.
 */
class PlainSocket extends WebSocket {
  constructor(url: string) {
    super(url, { perMessageDeflate: false });
  }
}

export interface FleetUser {
  userId: string;
  token: string;
}

export interface Fleet {
  clients: HeraldClient[];
  /** Connections that dropped and reconnected since the fleet was connected (should stay 0). */
  readonly drops: number;
  /** Closes every client (acks first). */
  close(): void;
}

/**
 * Connects one client per user and waits for every `hello`.
 * @param onNotification called for each notification frame, with the user's index and the time (ms, {@link now}) it arrived.
 * @param opts.concurrency connects in flight at most; opts.timeoutMs ceiling for the whole fleet; opts.since resume point for every client.
 * @throws Error when not every client said hello in time (the fleet is closed first).
 */
export async function connectFleet(
  base: string,
  users: readonly FleetUser[],
  onNotification: (userIndex: number, frame: NotificationFrame, at: number) => void,
  opts: { concurrency?: number; timeoutMs?: number; since?: number } = {},
): Promise<Fleet> {
  const concurrency = opts.concurrency ?? 50;
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  let drops = 0;
  const clients: HeraldClient[] = [];
  const fleet: Fleet = {
    clients,
    get drops() {
      return drops;
    },
    close: () => clients.forEach((c) => c.close()),
  };
  let next = 0;
  const connectOne = async (): Promise<void> => {
    while (next < users.length) {
      const index = next++;
      const client = new HeraldClient({
        baseUrl: base,
        token: users[index]!.token,
        ...(opts.since === undefined ? {} : { since: opts.since }),
        WebSocket: PlainSocket,
      });
      clients.push(client);
      client.on("notification", (frame) => onNotification(index, frame, now()));
      const hello = new Promise<void>((resolve) => client.on("hello", () => resolve()));
      client.on("state", (state) => {
        if (state === "reconnecting") drops++;
      });
      client.connect();
      await within(hello, deadline - Date.now(), `the hello of ${users[index]!.userId}`);
    }
  };
  try {
    await Promise.all(Array.from({ length: concurrency }, connectOne));
  } catch (error) {
    fleet.close();
    throw error;
  }
  // A connect retried while the fleet was still dialling cost nothing measured; count from here.
  drops = 0;
  return fleet;
}

/** A fleet of Socket.IO clients (bench/socketio-hub.ts), shaped like a {@link Fleet}. */
export interface SocketIoFleet {
  sockets: Socket[];
  readonly drops: number;
  close(): void;
}

/**
 * Connects one Socket.IO client per user (WebSocket transport, no compression, as the other
 * fleets) and waits for each one's `hello`; same arguments and errors as {@link connectFleet}.
 * `opts.reconnection: false` leaves a dropped client disconnected (the replay scenario reconnects it by hand).
 */
export async function connectSocketIoFleet(
  base: string,
  users: readonly FleetUser[],
  onNotification: (userIndex: number, frame: NotificationFrame, at: number) => void,
  opts: { concurrency?: number; timeoutMs?: number; reconnection?: boolean } = {},
): Promise<SocketIoFleet> {
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  let drops = 0;
  const sockets: Socket[] = [];
  const fleet: SocketIoFleet = {
    sockets,
    get drops() {
      return drops;
    },
    close: () => sockets.forEach((s) => s.disconnect()),
  };
  let next = 0;
  const connectOne = async (): Promise<void> => {
    while (next < users.length) {
      const index = next++;
      const socket = io(base, { auth: { token: users[index]!.token }, transports: ["websocket"], reconnection: opts.reconnection ?? true, forceNew: true });
      sockets.push(socket);
      socket.on("notification", (frame: NotificationFrame) => onNotification(index, frame, now()));
      socket.on("disconnect", () => drops++);
      // The hub's `hello` (as Herald's): it also gives the client the offset a recovery needs.
      await within(new Promise<void>((resolve) => socket.once("hello", () => resolve())), deadline - Date.now(), `the hello of ${users[index]!.userId}`);
    }
  };
  try {
    await Promise.all(Array.from({ length: opts.concurrency ?? 50 }, connectOne));
  } catch (error) {
    fleet.close();
    throw error;
  }
  drops = 0;
  return fleet;
}
