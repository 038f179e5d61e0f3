/**
 * `npm pack` of @herald/client installs into a fresh Node 22 project and works there: the test
 * packs the workspace (which builds it), installs the tarball into an empty temporary project,
 * type-checks a TypeScript consumer against the published `.d.ts` files (nodenext resolution, as
 * a Node project has it), and runs a plain ES module script against the real local Herald that
 * connects, receives a notification and marks it read (README.md#quick-start).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";

const root = fileURLToPath(new URL("../../..", import.meta.url));
const npm = (args: string[], cwd: string) => execFileSync("npm", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 90_000 });

/** The consumer script: what a README reader would write, in plain JavaScript. */
const CONSUMER = `
import { FeedStore, HeraldClient } from "@herald/client";
import { createHeraldServerClient } from "@herald/client/server";

const [base, apiKey, userId] = process.argv.slice(2);
const deadline = AbortSignal.timeout(20_000);
deadline.addEventListener("abort", () => { console.error("timed out"); process.exit(2); });

const { token } = await (await fetch(base + "/dev/token", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ userId }) })).json();
const client = new HeraldClient({ baseUrl: base, token, since: 0 });
const feed = new FeedStore(client);
const opened = new Promise((resolve) => client.on("state", (state) => state === "open" && resolve()));
const arrived = new Promise((resolve) => client.on("notification", (frame) => resolve(frame.notification)));
client.connect();
await opened;

const herald = createHeraldServerClient({ baseUrl: base, apiKey });
const sent = await herald.POST("/v1/notifications", { body: { userId, title: "From the tarball" } });
const notification = await arrived;
const readFrame = new Promise((resolve) => client.on("read", resolve));
const marked = await feed.markRead([notification.id]);
await readFrame;
const { unreadCount } = await client.rest.call("GET", "/v1/me/notifications/unread-count");
console.log(JSON.stringify({ sentStatus: sent.response.status, sameId: sent.data.id === notification.id, title: notification.title, marked, unreadCount, clientUnread: client.unreadCount, shown: feed.getSnapshot().items.map((n) => n.readAt !== null) }));
feed.dispose();
client.close();
process.exit(0);
`;

/** A typed consumer: must compile against the tarball's declarations alone. */
const TYPED_CONSUMER = `
import { FeedStore, HeraldClient, type FeedSnapshot, type InboxNotification } from "@herald/client";
import { createHeraldServerClient, type paths } from "@herald/client/server";

const client = new HeraldClient({ baseUrl: "https://herald.example.com", token: () => "t", transport: "auto" });
const feed = new FeedStore(client, { filter: { status: "unread" } });
const snapshot: FeedSnapshot = feed.getSnapshot();
const first: InboxNotification | undefined = snapshot.items[0];
const herald = createHeraldServerClient({ baseUrl: "https://herald.example.com", apiKey: "hk_x" });
type SendBody = paths["/v1/notifications"]["post"];
export async function send(userId: string): Promise<string | undefined> {
  // The document marks fields with server defaults (channels, priority) as required in bodies.
  const { data } = await herald.POST("/v1/notifications", { body: { userId, title: first?.title ?? "hi", channels: ["in_app"], priority: "normal" } });
  return data && "id" in data ? data.id : undefined;
}
export type { SendBody };
`;

let project: string;
let packDir: string;
beforeAll(() => {
  packDir = mkdtempSync(join(tmpdir(), "herald-pack-"));
  project = mkdtempSync(join(tmpdir(), "herald-consumer-"));
  npm(["pack", "-w", "@herald/client", "--pack-destination", packDir], root);
  const tarball = readdirSync(packDir).find((name) => name.endsWith(".tgz"));
  if (!tarball) throw new Error("npm pack wrote no tarball");
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
  npm(["install", "--no-audit", "--no-fund", "--prefer-offline", join(packDir, tarball)], project);
});
afterAll(() => {
  rmSync(packDir, { recursive: true, force: true });
  rmSync(project, { recursive: true, force: true });
});

describe("the packed @herald/client in a fresh project", () => {
  it("ships only the build and the README", () => {
    const listing = npm(["pack", "-w", "@herald/client", "--dry-run", "--json", "--ignore-scripts"], root);
    const files = (JSON.parse(listing) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path);
    expect(files).toContain("dist/index.js");
    expect(files).toContain("dist/react.d.ts");
    expect(files).toContain("README.md");
    expect(files.filter((f) => !f.startsWith("dist/") && f !== "README.md" && f !== "package.json")).toEqual([]);
  });

  it("type-checks a TypeScript consumer against the published declarations", () => {
    writeFileSync(join(project, "consumer.ts"), TYPED_CONSUMER);
    writeFileSync(
      join(project, "tsconfig.json"),
      JSON.stringify({ compilerOptions: { target: "es2022", module: "nodenext", moduleResolution: "nodenext", strict: true, noEmit: true, lib: ["es2022", "dom"], types: [] }, files: ["consumer.ts"] }),
    );
    const tsc = join(root, "node_modules/typescript/bin/tsc");
    let diagnostics = "";
    try {
      execFileSync(process.execPath, [tsc, "-p", project], { encoding: "utf8", stdio: "pipe" });
    } catch (error) {
      diagnostics = String((error as { stdout?: string }).stdout ?? error);
    }
    expect(diagnostics).toBe("");
  });

  it("connects to a real Herald, receives a notification and marks it read", () => {
    writeFileSync(join(project, "consumer.mjs"), CONSUMER);
    const userId = `pkg-tarball-${crypto.randomUUID().slice(0, 8)}`;
    const out = execFileSync(process.execPath, [join(project, "consumer.mjs"), inject("heraldBase"), inject("heraldApiKey"), userId], { cwd: project, encoding: "utf8", timeout: 30_000 });
    expect(JSON.parse(out.trim().split("\n").at(-1)!)).toEqual({ sentStatus: 202, sameId: true, title: "From the tarball", marked: true, unreadCount: 0, clientUnread: 0, shown: [true] });
  });
});
