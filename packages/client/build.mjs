/**
 * Builds the package into dist/: ES modules and `.d.ts` types from `tsc -p tsconfig.build.json`.
 * tsc rewrites the sources' `./x.ts` imports to `./x.js` in the JavaScript
 * (`rewriteRelativeImportExtensions`) but not in the declarations, which a consumer's TypeScript
 * may resolve without `allowImportingTsExtensions`, so this rewrites those too.
 *
 * Run: `npm run build -w @herald/client` (also run by `npm pack` through `prepack`).
 */
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const here = fileURLToPath(new URL(".", import.meta.url));
const dist = `${here}dist`;
rmSync(dist, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
execFileSync(process.execPath, [tsc, "-p", `${here}tsconfig.build.json`], { stdio: "inherit" });
for (const name of readdirSync(dist).filter((n) => n.endsWith(".d.ts"))) {
  const path = `${dist}/${name}`;
  writeFileSync(path, readFileSync(path, "utf8").replace(/(from\s+["']\.{1,2}\/[^"']+)\.ts(["'])/g, "$1.js$2"));
}
