/**
 * `npm start`: local Herald on http://localhost:8787 with local D1, Queues and Durable Objects.
 * Creates `.dev.vars` with random secrets when missing (and adds `SECRET_KEYS` to an older one), applies the D1 migrations, starts
 * `wrangler dev`, and once /health answers prints the API key, a ready user token and the URLs.
 */
import { spawn, spawnSync } from "node:child_process";
import { DEV_SERVER_VARS, devUserToken, ensureDevVars, waitForHealthy } from "./dev-env.mjs";

const PORT = Number(process.env.PORT ?? 8787);
const BASE = `http://localhost:${PORT}`;

const { vars, created, added } = ensureDevVars();
if (created) console.log(`Created .dev.vars with random ${added.join(", ")}.`);
else if (added.length > 0) console.log(`Added random ${added.join(", ")} to .dev.vars.`);

const migrate = spawnSync("npx", ["wrangler", "d1", "migrations", "apply", "herald", "--local"], { stdio: "inherit", env: { ...process.env, CI: "true" } });
if (migrate.status !== 0) process.exit(migrate.status ?? 1);

// Dev tokens and http/loopback webhooks: local development only (DEV_SERVER_VARS says why).
const varArgs = Object.entries(DEV_SERVER_VARS).flatMap(([name, value]) => ["--var", `${name}:${value}`]);
const dev = spawn("npx", ["wrangler", "dev", "--port", String(PORT), "--ip", "127.0.0.1", ...varArgs, "--show-interactive-dev-session=false"], {
  stdio: "inherit",
});
const stop = () => dev.kill("SIGINT");
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
dev.on("exit", (code) => process.exit(code ?? 0));

await waitForHealthy(`${BASE}/health`, 120_000);
const apiKey = vars.API_KEYS.split(",")[0].trim();
const userId = "dev-user";
const token = await devUserToken(vars.JWT_SECRET, userId);
console.log(`
Herald is running at ${BASE}

  API key (Authorization: Bearer …):  ${apiKey}
  User token for "${userId}" (24 h):   ${token}

  Inbox page      ${BASE}/inbox/   (sign in with the token above, or get a dev token there)
  Console         ${BASE}/console/ (uses the API key)
  API reference   ${BASE}/docs
  OpenAPI         ${BASE}/openapi.json
  Health          ${BASE}/health

Local development only: ${Object.entries(DEV_SERVER_VARS).map(([k, v]) => `${k}=${v}`).join(", ")}.
  POST /dev/token mints a user token for any user id, and sync targets and topic webhooks may use
  http:// and this machine (e.g. http://localhost:9000/hook). A deployed Worker allows neither.

Try it:
  curl -s -X POST ${BASE}/v1/notifications -H "authorization: Bearer ${apiKey}" \\
       -H "content-type: application/json" -d '{"userId":"${userId}","title":"Hello","body":"from Herald"}'
  curl -s ${BASE}/v1/me/notifications -H "authorization: Bearer ${token}"
`);
