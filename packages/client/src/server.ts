/**
 * A typed REST client for servers (README.md#servers): every route of Herald's API, with request
 * and response types generated from its `/openapi.json` (./openapi.ts, `npm run openapi:types`),
 * called through openapi-fetch. Use it from a backend with an API key; browsers use the user-token
 * calls of the root entry point instead.
 */
import createClient, { type Client, type ClientOptions } from "openapi-fetch";
import type { paths } from "./openapi.ts";

export type { components, operations, paths } from "./openapi.ts";

/** A client for every route, e.g. `herald.POST("/v1/notifications", { body })` → `{ data, error, response }`. */
export type HeraldServerClient = Client<paths>;

export interface HeraldServerClientOptions {
  /** Herald's origin, e.g. `https://herald.example.com`. */
  baseUrl: string;
  /** An API key (`hk_…`), sent as `Authorization: Bearer`; or a user token for the `/v1/me` routes. */
  apiKey: string;
  /** Instead of `globalThis.fetch` (e.g. a service binding's). */
  fetch?: ClientOptions["fetch"];
  /** Extra headers on every request. */
  headers?: Record<string, string>;
}

/**
 * Creates the client. Calls answer `{data}` on a 2xx and `{error}` (an RFC 9457 problem document
 * with a stable `code`, docs/api.md#errors) otherwise; network failures throw.
 */
export function createHeraldServerClient(options: HeraldServerClientOptions): HeraldServerClient {
  return createClient<paths>({
    baseUrl: options.baseUrl.replace(/\/$/, ""),
    headers: { authorization: `Bearer ${options.apiKey}`, ...options.headers },
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
}
