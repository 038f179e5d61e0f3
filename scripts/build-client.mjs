/**
 * Bundles the client package (`packages/client`, @herald/client) into `public/assets/herald-client.js`,
 * the ES module the `/inbox` page imports. wrangler.toml's `[build] command` runs this, so
 * `wrangler dev`, `npm start`, the e2e server and `wrangler deploy` all ship a fresh bundle; the
 * output is git-ignored because it is derived.
 *
 * Run from the repository root (wrangler runs build commands there): `node scripts/build-client.mjs`.
 */
import { build } from "esbuild";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));

await build({
  absWorkingDir: root,
  entryPoints: ["packages/client/src/index.ts"],
  outfile: "public/assets/herald-client.js",
  bundle: true,
  format: "esm",
  platform: "browser",
  // Private class fields (#socket, …) and `??=` are native from here on; no down-levelling needed.
  target: "es2022",
  sourcemap: "linked",
  legalComments: "none",
  logLevel: "warning",
});
