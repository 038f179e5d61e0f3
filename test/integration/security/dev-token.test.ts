/**
 * `POST /dev/token` (issue 14, test 1): without `ALLOW_DEV_TOKENS=true` — unset, or wrangler.toml's
 * "false" — it answers 404 like an unknown path, whatever the body; with it, it mints a user token
 * with the deployment's `typ` and `aud` that opens that user's inbox.
 */
import { decode } from "hono/jwt";
import { describe, expect, it } from "vitest";
import { api, freshId } from "../../helpers";
import { appFetch, bindingsWith, expectProblem } from "../../security-helpers";

const post = (fetchApp: ReturnType<typeof appFetch>, body: string) => fetchApp("/dev/token", { method: "POST", headers: { "content-type": "application/json" }, body });

describe("POST /dev/token", () => {
  it("answers 404 when ALLOW_DEV_TOKENS is unset or false, to any body", async () => {
    for (const value of [undefined, "false", "TRUE", "1"]) {
      const fetchApp = appFetch(bindingsWith({ ALLOW_DEV_TOKENS: value }));
      for (const body of [JSON.stringify({ userId: freshId() }), "{not json", JSON.stringify({ nope: 1 })]) {
        const res = await post(fetchApp, body);
        expect(res.status, `${value}: ${body}`).toBe(404);
        expect((await expectProblem(res)).code).toBe("not_found");
      }
    }
  });

  it("mints a working user token when ALLOW_DEV_TOKENS is true", async () => {
    const userId = freshId();
    const res = await post(appFetch(bindingsWith({ ALLOW_DEV_TOKENS: "true" })), JSON.stringify({ userId }));
    expect(res.status).toBe(201);
    const { token } = (await res.json()) as { token: string };
    expect(decode(token).payload).toMatchObject({ sub: userId, typ: "user", aud: "herald" });
    expect((await api("/v1/me/notifications", { auth: token })).status).toBe(200);
  });
});
