import type { UserInbox } from "./inbox/user-inbox";
import type { UserWorkflows } from "./workflows/user-workflows";

/**
 * Secrets are not in wrangler.toml, so `wrangler types` cannot see them: `API_KEYS` is a
 * comma-separated list of server keys, `JWT_SECRET` signs user tokens (HS256), `SECRET_KEYS` is
 * the keyring that seals stored webhook secrets (src/lib/secret-box.ts). They come from
 * `.dev.vars` locally (written by `npm start`) and `wrangler secret put` in production.
 */
export interface Secrets {
  API_KEYS?: string;
  JWT_SECRET?: string;
  SECRET_KEYS?: string;
}

/** Worker bindings: generated ones (src/worker-configuration.d.ts) plus secrets and the typed inbox namespace. */
export type Bindings = Omit<Env, "USER_INBOX" | "USER_WORKFLOWS"> &
  Secrets & {
    USER_INBOX: DurableObjectNamespace<UserInbox>;
    USER_WORKFLOWS: DurableObjectNamespace<UserWorkflows>;
  };

/**
 * Who made the request, set by the auth middleware. An API key is named by its `keyId`
 * (a SHA-256 prefix, src/lib/auth.ts `apiKeyId`), never by the key.
 */
export type Principal =
  | { kind: "api_key"; keyId: string }
  | {
      kind: "user";
      userId: string;
      /** The token's `exp`, seconds since epoch. */
      tokenExp: number;
      /** The connect ticket the request came with instead of a token (src/inbox/tickets.ts). */
      ticket?: { id: string; expiresAt: number };
    };

export interface Variables {
  requestId: string;
  principal: Principal;
}

/** The Hono environment shared by every route. */
export interface AppEnv {
  Bindings: Bindings;
  Variables: Variables;
}
