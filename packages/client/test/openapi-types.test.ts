/**
 * The checked-in API types (packages/client/src/openapi.ts) are what the routes generate: a route
 * changed without `npm run openapi:types` fails here, so the server client cannot drift from the API.
 */
import { readFileSync } from "node:fs";
import { describe, expect, inject, it } from "vitest";
import { generateTypes, TYPES_FILE } from "../../../scripts/openapi-types.ts";
import { createHeraldServerClient } from "../src/server.ts";

describe("@herald/client/server", () => {
  it("its types are regenerated from the app's current /openapi.json", async () => {
    expect(readFileSync(TYPES_FILE, "utf8")).toBe(await generateTypes());
  });

  it("calls a running Herald with the API key: sends a notification and reads it back, typed", async () => {
    const herald = createHeraldServerClient({ baseUrl: inject("heraldBase"), apiKey: inject("heraldApiKey") });
    const userId = `pkg-server-${crypto.randomUUID().slice(0, 8)}`;
    const sent = await herald.POST("/v1/notifications", { body: { userId, title: "Typed hello", channels: ["in_app"], priority: "normal" } });
    expect(sent.response.status).toBe(202);
    if (!sent.data || !("id" in sent.data)) throw new Error(`not a single-user answer: ${JSON.stringify(sent.data)}`);
    const { id } = sent.data;
    const read = await herald.GET("/v1/notifications/{id}", { params: { path: { id } } });
    expect(read.response.status).toBe(200);
    expect(read.data).toMatchObject({ id, userId });
    const missing = await herald.GET("/v1/notifications/{id}", { params: { path: { id: "nope" } } });
    expect(missing.response.status).toBe(404);
    expect(missing.error).toMatchObject({ code: "not_found" });
  });
});
