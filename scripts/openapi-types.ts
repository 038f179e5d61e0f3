/**
 * Regenerates `packages/client/src/openapi.ts`, the TypeScript types of Herald's API that
 * `@herald/client/server` uses with openapi-fetch, from the app's own `/openapi.json`
 * (packages/client/README.md#servers). No server is started: the app is bundled for Node with esbuild
 * (its one platform import, the Durable Object base class, is stubbed — the document is built from
 * the route definitions alone) and asked for the document in memory, then openapi-typescript
 * turns it into types.
 *
 *   npm run openapi:types            writes the file
 *   npm run openapi:types -- --check exits 1 when the file differs from what the routes generate
 *                                    (run by packages/client/test/openapi-types.test.ts in CI)
 *
 * Runs unbundled under Node ≥ 22 type stripping, from the repository root.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import openapiTS, { astToString, type OpenAPI3 } from "openapi-typescript";

const root = fileURLToPath(new URL("..", import.meta.url));
export const TYPES_FILE = `${root}packages/client/src/openapi.ts`;

const HEADER = `/**
 * Herald's API as TypeScript types, generated from /openapi.json by openapi-typescript.
 * Do not edit: run \`npm run openapi:types\` after changing a route (a test fails until then).
 */
`;

/** The OpenAPI 3.1 document the app serves at `/openapi.json`, built in memory. */
export async function openapiDocument(): Promise<OpenAPI3> {
  const bundle = await build({
    absWorkingDir: root,
    entryPoints: ["src/app.ts"],
    bundle: true,
    platform: "node",
    format: "esm",
    write: false,
    logLevel: "error",
    plugins: [
      {
        name: "stub-cloudflare-workers",
        setup(b) {
          b.onResolve({ filter: /^cloudflare:workers$/ }, () => ({ path: "cloudflare:workers", namespace: "stub" }));
          b.onLoad({ filter: /.*/, namespace: "stub" }, () => ({ contents: "export class DurableObject {}", loader: "js" }));
        },
      },
    ],
  });
  const source = bundle.outputFiles[0]!.text;
  const app = (await import(`data:text/javascript;base64,${Buffer.from(source).toString("base64")}`)) as { createApp(): { request(path: string, init: RequestInit, env: object): Promise<Response> | Response } };
  // The document names this deployment in `servers` from PUBLIC_URL: the one wrangler.toml ships.
  const publicUrl = /^PUBLIC_URL = "([^"]*)"/m.exec(readFileSync(`${root}/wrangler.toml`, "utf8"))?.[1];
  const res = await app.createApp().request("/openapi.json", {}, { PUBLIC_URL: publicUrl });
  if (res.status !== 200) throw new Error(`/openapi.json answered ${res.status}`);
  return (await res.json()) as OpenAPI3;
}

/** The types file's text for the current routes. */
export async function generateTypes(): Promise<string> {
  const ast = await openapiTS(await openapiDocument());
  return HEADER + astToString(ast);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const text = await generateTypes();
  if (process.argv.includes("--check")) {
    const current = readFileSync(TYPES_FILE, "utf8");
    if (current !== text) {
      console.error(`${TYPES_FILE} is out of date with the routes: run \`npm run openapi:types\`.`);
      process.exit(1);
    }
    console.log("openapi types are up to date");
  } else {
    writeFileSync(TYPES_FILE, text);
    console.log(`wrote ${TYPES_FILE}`);
  }
}
