/**
 * A HeraldClient (packages/client) wired to the real Worker inside workerd, with logs of what it did:
 * used by the client tests and the fault test.
 */
import { exports } from "cloudflare:workers";
import { HeraldClient, type ConnectionState, type HeraldClientOptions, type ServerFrame } from "../packages/client/src/index";
import { BASE } from "./helpers";

export type NotificationFrame = Extract<ServerFrame, { type: "notification" }>;

/** A client wired to the Worker through `fetch` upgrades, with logs of what it did. */
export interface Harness {
  client: HeraldClient;
  /** `notification` events, in the order the client emitted them. */
  received: NotificationFrame[];
  /** Frames the client sent, parsed. */
  sent: { type: string; seq?: number; ids?: string[] }[];
  /** The URL of every connection attempt. */
  urls: URL[];
  /** Every socket the client got, in order. */
  sockets: WebSocket[];
  /** `notification` frames that reached the sockets, before the client's dedupe by seq. */
  rawNotifications: number;
  states: ConnectionState[];
  /** While held, connection attempts wait (to send notifications while the client is offline). */
  hold(): void;
  release(): void;
}

/**
 * Builds a client whose `open` upgrades through `exports.default.fetch` (workerd has no
 * outbound WebSocket to itself). A refused upgrade fails the attempt with the response.
 */
export function harness(token: HeraldClientOptions["token"], options: Partial<HeraldClientOptions> & { rewrite?: (url: URL) => void } = {}): Harness {
  const { rewrite, ...clientOptions } = options;
  let gate: { promise: Promise<void>; release: () => void } | null = null;
  const h: Harness = {
    client: undefined as unknown as HeraldClient,
    received: [],
    sent: [],
    urls: [],
    sockets: [],
    rawNotifications: 0,
    states: [],
    hold() {
      const { promise, resolve } = Promise.withResolvers<void>();
      gate = { promise, release: resolve };
    },
    release() {
      gate?.release();
      gate = null;
    },
  };
  h.client = new HeraldClient({
    baseUrl: BASE,
    token,
    backoff: { initialMs: 10, maxMs: 50 },
    ...clientOptions,
    open: async (url) => {
      await gate?.promise;
      const target = new URL(url);
      rewrite?.(target);
      h.urls.push(target);
      const res = await exports.default.fetch(target.toString().replace(/^ws/, "http"), { headers: { upgrade: "websocket" } });
      if (res.status !== 101 || !res.webSocket) throw new Error(`GET ${target.pathname}${target.search} → ${res.status} ${await res.text()}`);
      const ws = res.webSocket;
      ws.accept();
      ws.addEventListener("message", (event) => {
        if ((JSON.parse(String(event.data)) as { type: string }).type === "notification") h.rawNotifications++;
      });
      const send = ws.send.bind(ws);
      ws.send = (data) => {
        h.sent.push(JSON.parse(String(data)));
        send(data);
      };
      h.sockets.push(ws);
      return ws;
    },
  });
  h.client.on("notification", (frame) => h.received.push(frame));
  h.client.on("state", (state) => h.states.push(state));
  return h;
}

