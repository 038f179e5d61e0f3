/**
 * What the two in-app baselines (bench/hub.ts, the ws hub, and bench/socketio-hub.ts, Socket.IO)
 * share: reading the user from a token the way they both do, and serving as a child process of the
 * bench.
 */
import type { Server } from "node:http";

/**
 * The `sub` claim of a JWT, unverified, or null when it has none. The baselines skip the signature
 * check on purpose: Herald checks it once per connect, off the measured paths.
 */
export function subjectOf(token: string): string | null {
  try {
    const payload = JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8")) as { sub?: unknown };
    return typeof payload.sub === "string" && payload.sub.length > 0 ? payload.sub : null;
  } catch {
    return null;
  }
}

/**
 * Listens on an ephemeral port of 127.0.0.1, prints `{"port":N}` once listening (the bench reads
 * it from stdout), and exits on SIGTERM or when the parent's stdin ends or closes, so a bench that
 * dies without signalling takes its baseline with it.
 */
export function serveBaseline(server: Server): void {
  // Node closes idle keep-alive connections after 5 s by default, racing the bench's agent reusing
  // them between repetitions; workerd keeps them open, and so must a baseline.
  server.keepAliveTimeout = 120_000;
  server.headersTimeout = 121_000;
  server.listen(0, "127.0.0.1", () => {
    console.log(JSON.stringify({ port: (server.address() as { port: number }).port }));
  });
  const exit = () => process.exit(0);
  process.on("SIGTERM", exit);
  process.stdin.on("end", exit);
  process.stdin.on("close", exit);
  process.stdin.resume();
}
