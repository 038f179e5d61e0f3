/**
 * `npm run token -- <userId>`: prints a fresh 24 h user token for the local Herald that `npm start`
 * runs, signed with the `JWT_SECRET` in `.dev.vars` (written by `npm start`, scripts/dev-env.mjs)
 * for the audience `JWT_AUDIENCE` (`.dev.vars`, else wrangler.toml's `[vars]`, else "herald") —
 * the claims src/lib/auth.ts verifies (docs/api.md#authentication). The token goes to stdout
 * alone, so `TOKEN=$(npm run -s token -- dev-user)` works; errors go to stderr with exit code 1.
 *
 * Runs unbundled under Node ≥ 22 type stripping.
 */
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { decode } from "hono/jwt";
import { devUserToken, parseVars } from "./dev-env.mjs";

/** A user token's lifetime, s: the most src/lib/auth.ts accepts (MAX_USER_TOKEN_TTL_SECONDS). */
const TOKEN_TTL_SECONDS = 86_400;
/** Fewest bytes of `JWT_SECRET` the Worker accepts (MIN_JWT_SECRET_BYTES in src/lib/auth.ts). */
const MIN_SECRET_BYTES = 32;
/** The same limit as user ids everywhere in the API (MAX_ID_LENGTH). */
const MAX_USER_ID_LENGTH = 128;

/** `JWT_AUDIENCE` from a wrangler.toml's `[vars]` table, or undefined (a line-based read of that one key). */
export function audienceFromWranglerToml(text: string): string | undefined {
  let inVars = false;
  for (const line of text.split(/\r?\n/)) {
    const table = line.match(/^\s*\[([^\]]+)\]\s*$/);
    if (table) inVars = table[1]!.trim() === "vars";
    const match = inVars ? line.match(/^\s*JWT_AUDIENCE\s*=\s*"([^"]*)"/) : null;
    if (match) return match[1];
  }
  return undefined;
}

/**
 * Mints a user token for `userId` from the secrets in `dir`'s `.dev.vars`.
 * @param dir the project directory: `.dev.vars` and `wrangler.toml` are read from it.
 * @returns the token and when it expires (ISO 8601).
 * @throws Error when the user id is empty or too long, `.dev.vars` is missing (run `npm start`
 *         once), or its `JWT_SECRET` is missing or shorter than 32 bytes (the Worker would refuse it).
 */
export async function tokenFromDevVars(dir: string, userId: string): Promise<{ token: string; expiresAt: string }> {
  if (!userId || userId.length > MAX_USER_ID_LENGTH) throw new Error(`give a user id of 1 to ${MAX_USER_ID_LENGTH} characters: npm run token -- <userId>`);
  const varsPath = resolve(dir, ".dev.vars");
  if (!existsSync(varsPath)) throw new Error(`${varsPath} does not exist: run \`npm start\` once, it writes the local secrets there`);
  const vars = parseVars(readFileSync(varsPath, "utf8"));
  const secret = vars.JWT_SECRET ?? "";
  if (new TextEncoder().encode(secret).byteLength < MIN_SECRET_BYTES) throw new Error(`JWT_SECRET in ${varsPath} is missing or shorter than ${MIN_SECRET_BYTES} bytes`);
  const tomlPath = resolve(dir, "wrangler.toml");
  const audience = vars.JWT_AUDIENCE || (existsSync(tomlPath) ? audienceFromWranglerToml(readFileSync(tomlPath, "utf8")) : undefined) || "herald";
  const token = await devUserToken(secret, userId, TOKEN_TTL_SECONDS, audience);
  const { exp } = decode(token).payload as { exp: number };
  return { token, expiresAt: new Date(exp * 1000).toISOString() };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const { token, expiresAt } = await tokenFromDevVars(process.cwd(), process.argv[2] ?? "");
    console.log(token);
    console.error(`User token for "${process.argv[2]}", valid until ${expiresAt}.`);
  } catch (error) {
    console.error(`npm run token: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
