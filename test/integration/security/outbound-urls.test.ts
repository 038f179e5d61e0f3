/**
 * The outbound URL rule through the API (issue 14; the rule itself: test/unit/url-policy.test.ts).
 * The suite runs with `ALLOW_HTTP_WEBHOOKS=true`, as local development does: userinfo and
 * private, link-local, CGNAT and unique-local addresses are refused even so, for sync targets
 * (create and update) and topic webhooks, storing nothing; loopback is refused in production.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { api, API_KEY } from "../../helpers";
import { createTopic } from "../../messaging-helpers";
import { appFetch, bindingsWith, expectProblem } from "../../security-helpers";
import { receiverUrl } from "../../sync-helpers";

const REFUSED_IN_DEVELOPMENT = [
  "http://user:pass@example.com/hook",
  "https://token@example.com/hook",
  "http://10.1.2.3/hook",
  "http://172.20.0.5/hook",
  "http://192.168.0.10/hook",
  "http://169.254.169.254/latest/meta-data",
  "http://[fe80::1]/hook",
  "http://100.100.100.200/hook",
  "http://[fd00::1]/hook",
  "http://[::ffff:10.1.2.3]/hook",
  "http://3232235530/hook",
];

const count = async (table: string) => (await env.DB.prepare(`SELECT COUNT(*) AS n FROM ${table}`).first<{ n: number }>())!.n;

async function expectRefusedUrl(res: Response, url: string) {
  expect(res.status, url).toBe(400);
  const problem = await expectProblem(res);
  expect(problem, url).toMatchObject({ code: "validation_failed", errors: [{ path: "url", message: expect.stringMatching(/^Must not/) }] });
}

describe("outbound URLs through the API", () => {
  it("refuses userinfo and private ranges as sync targets even in development, storing nothing", async () => {
    const before = await count("sync_targets");
    for (const url of REFUSED_IN_DEVELOPMENT) {
      await expectRefusedUrl(await api("/v1/sync/targets", { method: "POST", json: { name: "inside", url } }), url);
    }
    expect(await count("sync_targets")).toBe(before);
  });

  it("refuses them when a sync target's URL is changed, keeping the old one", async () => {
    const created = await api("/v1/sync/targets", { method: "POST", json: { name: "loopback-dev", url: `${receiverUrl()}/hooks/url-policy` } });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    try {
      for (const url of REFUSED_IN_DEVELOPMENT) await expectRefusedUrl(await api(`/v1/sync/targets/${id}`, { method: "PATCH", json: { url } }), url);
      expect(await (await api(`/v1/sync/targets/${id}`)).json()).toMatchObject({ url: `${receiverUrl()}/hooks/url-policy` });
    } finally {
      await api(`/v1/sync/targets/${id}`, { method: "DELETE" });
    }
  });

  it("refuses them as topic webhooks, and allows a public https URL", async () => {
    const topic = await createTopic();
    const before = await count("topic_subscriptions");
    for (const url of REFUSED_IN_DEVELOPMENT) {
      await expectRefusedUrl(await api(`/v1/topics/${topic}/subscriptions`, { method: "POST", json: { kind: "webhook", url } }), url);
    }
    expect(await count("topic_subscriptions")).toBe(before);
    expect((await api(`/v1/topics/${topic}/subscriptions`, { method: "POST", json: { kind: "webhook", url: "https://hooks.example.com/herald" } })).status).toBe(201);
  });

  it("refuses loopback and localhost in production", async () => {
    const production = appFetch(bindingsWith({ ALLOW_HTTP_WEBHOOKS: "false" }));
    const topic = await createTopic();
    for (const url of ["https://127.0.0.1/hook", "https://localhost/hook", "https://app.localhost/hook", "https://[::1]/hook", "https://2130706433/hook"]) {
      const res = await production(`/v1/topics/${topic}/subscriptions`, {
        method: "POST",
        headers: { authorization: `Bearer ${API_KEY}`, "content-type": "application/json" },
        body: JSON.stringify({ kind: "webhook", url }),
      });
      await expectRefusedUrl(res, url);
    }
  });
});
