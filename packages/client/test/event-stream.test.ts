/**
 * EventStreamSocket reads `text/event-stream` as `EventSource` does (WHATWG HTML, "Server-sent
 * events": interpretation of the stream), whatever the chunking: served by a local HTTP server
 * that writes a stream split mid-line and mid-character, with CRLF, CR and LF line ends, comments,
 * multi-line data, an event with no data, and an id. Frames to send go over REST to that server.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { HeraldRest } from "../src/rest.ts";
import { EventStreamSocket } from "../src/sse.ts";

let server: Server | null = null;
afterEach(async () => {
  await new Promise((resolve) => server?.close(resolve) ?? resolve(null));
  server = null;
});

/** Serves `chunks` as one event stream (10 ms apart) and records every other request with its body. */
async function serve(chunks: (string | Buffer)[]): Promise<{ base: string; requests: { method: string; url: string; headers: IncomingMessage["headers"]; body: string }[] }> {
  const requests: { method: string; url: string; headers: IncomingMessage["headers"]; body: string }[] = [];
  server = createServer(async (req, res) => {
    let body = "";
    for await (const part of req) body += part;
    requests.push({ method: req.method!, url: req.url!, headers: req.headers, body });
    if (req.url!.startsWith("/v1/me/stream")) {
      res.writeHead(200, { "content-type": "text/event-stream" });
      for (const chunk of chunks) {
        res.write(chunk);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      res.end();
      return;
    }
    res.writeHead(200, { "content-type": "application/json" });
    res.end("{}");
  });
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  return { base: `http://127.0.0.1:${(server!.address() as AddressInfo).port}`, requests };
}

function collect(socket: EventStreamSocket): Promise<{ messages: string[]; code: number; opened: boolean }> {
  const messages: string[] = [];
  let opened = false;
  socket.addEventListener("open", () => (opened = true));
  socket.addEventListener("message", (event) => messages.push(String(event.data)));
  return new Promise((resolve) => socket.addEventListener("close", (event) => resolve({ messages, code: event.code, opened })));
}

describe("EventStreamSocket", () => {
  it("parses events across chunk boundaries and line-end styles, and remembers the last event id", async () => {
    const euro = Buffer.from("€");
    const { base, requests } = await serve([
      ": keep-alive\n\n",
      'data: {"type":"hello","connectionId":"c1","lastSeq":0,"userId":"u","unreadCount":0}\r\n\r\n',
      "id: 7\r\nda",
      'ta: {"type":"notification","seq":7,"title":"',
      Buffer.concat([Buffer.from("price "), euro.subarray(0, 2)]),
      Buffer.concat([euro.subarray(2), Buffer.from('5"}\n\n')]),
      "data: line one\rdata: line two\r\r",
      "event: ignored-name\nid: 9\n\n",
      "data:no-space\n\n",
    ]);
    const rest = new HeraldRest({ baseUrl: base, token: "tok" });
    const socket = new EventStreamSocket(`${base}/v1/me/stream?since=3`, rest, "3");
    const { messages, code, opened } = await collect(socket);
    expect(opened).toBe(true);
    expect(messages).toEqual([
      '{"type":"hello","connectionId":"c1","lastSeq":0,"userId":"u","unreadCount":0}',
      '{"type":"notification","seq":7,"title":"price €5"}',
      "line one\nline two",
      "no-space",
    ]);
    // An event with an id and no data dispatches nothing but moves the last event id.
    expect(socket.lastEventId).toBe("9");
    expect(code).toBe(1000);
    expect(requests[0]).toMatchObject({ method: "GET", url: "/v1/me/stream?since=3" });
    expect(requests[0]!.headers).toMatchObject({ accept: "text/event-stream", authorization: "Bearer tok", "last-event-id": "3" });
  });

  it("sends acks (with the hello's connection id), read and seen over REST, and answers ping itself", async () => {
    const { base, requests } = await serve(['data: {"type":"hello","connectionId":"conn-9"}\n\n', ": open a while\n\n", ": still open\n\n"]);
    const socket = new EventStreamSocket(`${base}/v1/me/stream`, new HeraldRest({ baseUrl: base, token: "tok" }), undefined);
    const pongs: string[] = [];
    socket.addEventListener("message", (event) => String(event.data).includes("pong") && pongs.push(String(event.data)));
    const closed = collect(socket);
    await new Promise<void>((resolve) => socket.addEventListener("message", () => resolve()));
    socket.send('{"type":"ack","seq":12}');
    socket.send('{"type":"read","ids":["a","b"]}');
    socket.send('{"type":"seen","ids":["c"]}');
    socket.send('{"type":"ping"}');
    await closed;
    const calls = requests.filter((r) => r.method === "POST").map((r) => [r.url, JSON.parse(r.body)]);
    expect(calls).toEqual(
      expect.arrayContaining([
        ["/v1/me/notifications/ack", { connectionId: "conn-9", seq: 12 }],
        ["/v1/me/notifications/bulk", { ids: ["a", "b"], action: "read" }],
        ["/v1/me/notifications/bulk", { ids: ["c"], action: "seen" }],
      ]),
    );
    expect(calls).toHaveLength(3);
    expect(pongs).toEqual(['{"type":"pong"}']);
  });

  it("reports a refused stream as a close without opening (401 as 4001, like an expired token)", async () => {
    server = createServer((_req, res) => {
      res.writeHead(401, { "content-type": "application/problem+json" });
      res.end('{"code":"unauthorized"}');
    });
    await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const { messages, code, opened } = await collect(new EventStreamSocket(`${base}/v1/me/stream`, new HeraldRest({ baseUrl: base, token: "bad" }), undefined));
    expect({ messages, code, opened }).toEqual({ messages: [], code: 4001, opened: false });
  });
});
