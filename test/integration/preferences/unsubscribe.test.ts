/**
 * One-click unsubscribe (docs/api.md#preferences; RFC 2369, RFC 8058): every email carries the
 * headers and a signed link; `POST` unsubscribes that category's email, `GET` only shows a page;
 * forged, tampered and other-user tokens change nothing; templates get `{{unsubscribeUrl}}` and
 * `{{preferencesUrl}}`.
 */
import { describe, expect, it } from "vitest";
import { exports } from "cloudflare:workers";
import { api, BASE, freshId, waitFor } from "../../helpers";

interface OutboxItem {
  notificationId: string;
  channel: string;
  body: string;
  html: string | null;
  headers: Record<string, string> | null;
}

const emailOf = (id: string) =>
  waitFor(async () => ((await (await api("/v1/outbox?channel=email&limit=200")).json()) as { items: OutboxItem[] }).items.find((i) => i.notificationId === id), { what: "email in outbox" });
const deliveryOf = async (id: string, channel: string) =>
  ((await (await api(`/v1/notifications/${id}`)).json()) as { deliveries: { channel: string; status: string; reason: string | null }[] }).deliveries.find((d) => d.channel === channel)!;
/** A request with no credential at all, as a mail client or a browser opening the link. */
const open = (url: string, init: RequestInit = {}) => exports.default.fetch(new Request(url.replace("https://herald.example.com", BASE), init));

async function emailedUser(category: string) {
  const userId = freshId();
  await api(`/v1/users/${userId}`, { method: "PUT", json: { email: `${userId}@example.com` } });
  const { id } = (await (await api("/v1/notifications", { method: "POST", json: { userId, title: "News", body: "Read on", category, channels: ["email"] } })).json()) as { id: string };
  const email = await emailOf(id);
  return { userId, email, url: email.headers!["List-Unsubscribe"]!.slice(1, -1) };
}

describe("one-click unsubscribe", () => {
  it("sends every email with List-Unsubscribe (https) and List-Unsubscribe-Post, shown in the outbox", async () => {
    const { email, url } = await emailedUser("news");
    expect(email.headers).toMatchObject({ "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" });
    expect(email.headers!["List-Unsubscribe"]).toMatch(/^<https:\/\/herald\.example\.com\/v1\/unsubscribe\?token=[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+>$/);
    expect(new URL(url).searchParams.get("token")!.length).toBeGreaterThan(40);
  });

  it("GET only shows a confirmation page; POST turns that category's email off, and later emails are skipped as unsubscribed", async () => {
    const { userId, url } = await emailedUser("news");
    for (let i = 0; i < 2; i++) {
      const page = await open(url);
      expect(page.status).toBe(200);
      expect(page.headers.get("content-type")).toMatch(/text\/html/);
      expect(page.headers.get("content-security-policy")).toContain("script-src 'self'");
      const html = await page.text();
      expect(html).toContain("<form method=\"post\"");
      expect(html).toContain("news");
    }
    expect((await (await api(`/v1/users/${userId}/preferences`)).json()) as object).toMatchObject({ unsubscribed: {}, version: 0 });

    const post = await open(url, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "List-Unsubscribe=One-Click" });
    expect(post.status).toBe(200);
    expect(await post.json()).toEqual({ unsubscribed: true, category: "news", channel: "email" });
    expect((await (await api(`/v1/users/${userId}/preferences`)).json()) as object).toMatchObject({ unsubscribed: { news: { email: true } } });

    const { id } = (await (await api("/v1/notifications", { method: "POST", json: { userId, title: "More", category: "news", channels: ["email"] } })).json()) as { id: string };
    await waitFor(async () => (await deliveryOf(id, "email")).status === "skipped", { what: "email skipped" });
    expect((await deliveryOf(id, "email")).reason).toBe("unsubscribed");
    const other = (await (await api("/v1/notifications", { method: "POST", json: { userId, title: "Bill", category: "billing", channels: ["email"] } })).json()) as { id: string };
    await emailOf(other.id);
  });

  it("refuses forged, tampered and other-user tokens with 400 and changes nothing", async () => {
    const { userId, url } = await emailedUser("news");
    const victim = freshId();
    const token = new URL(url).searchParams.get("token")!;
    const [payload, mac] = token.split(".") as [string, string];
    const decoded = JSON.parse(atob(payload.replaceAll("-", "+").replaceAll("_", "/"))) as Record<string, string>;
    const reencode = (o: object) => btoa(JSON.stringify(o)).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
    const bad = [
      "not-a-token",
      `${payload}.${mac.slice(0, -2)}AA`,
      `${reencode({ ...decoded, sub: victim })}.${mac}`,
      `${reencode({ ...decoded, cat: "billing" })}.${mac}`,
      `${payload}.${mac}.extra`,
    ];
    for (const t of bad) {
      const res = await open(`${BASE}/v1/unsubscribe?token=${encodeURIComponent(t)}`, { method: "POST" });
      expect(res.status, t).toBe(400);
      expect(((await res.json()) as { code: string }).code).toBe("validation_failed");
      expect((await open(`${BASE}/v1/unsubscribe?token=${encodeURIComponent(t)}`)).status).toBe(400);
    }
    expect((await open(`${BASE}/v1/unsubscribe`, { method: "POST" })).status).toBe(400);
    for (const u of [userId, victim]) expect((await (await api(`/v1/users/${u}/preferences`)).json()) as object).toMatchObject({ version: 0 });
  });

  it("fills {{unsubscribeUrl}} and {{preferencesUrl}} in email templates", async () => {
    const name = `unsub_${crypto.randomUUID().replaceAll("-", "").slice(0, 10)}`;
    expect((await api(`/v1/templates/${name}`, { method: "PUT", json: { channel: "email", subject: "Hi {{name}}", body: "<p>Hi</p><a href=\"{{unsubscribeUrl}}\">unsubscribe</a> <a href=\"{{preferencesUrl}}\">settings</a>", category: "digest" } })).status).toBe(201);
    const userId = freshId();
    await api(`/v1/users/${userId}`, { method: "PUT", json: { email: `${userId}@example.com` } });
    const res = await api("/v1/notifications", { method: "POST", json: { userId, template: name, data: { name: "Ada" }, channels: ["email"] } });
    expect(res.status).toBe(202);
    const email = await emailOf(((await res.json()) as { id: string }).id);
    // Mustache HTML-escapes the URLs (`/` and `=` as entities), as a browser reads them back.
    const unescape = (text: string) => text.replace(/&#x([0-9a-f]+);/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))).replaceAll("&amp;", "&");
    const [unsub, prefs] = email.html!.match(/href="([^"]+)">unsubscribe<\/a> <a href="([^"]+)"/)!.slice(1).map(unescape);
    expect(unsub).toBe(email.headers!["List-Unsubscribe"]!.slice(1, -1));
    expect(prefs).toMatch(/^https:\/\/herald\.example\.com\/preferences\?token=/);
    const byLink = await open(`${prefs!.replace("/preferences?", "/v1/preferences/by-link?")}`);
    expect(byLink.status).toBe(200);
    expect(((await byLink.json()) as { version: number }).version).toBe(0);
    // The preference-page token is no unsubscribe token, and the reverse.
    expect((await open(prefs!.replace("/preferences?", "/v1/unsubscribe?"), { method: "POST" })).status).toBe(400);
    expect((await open(unsub!.replace("/v1/unsubscribe?", "/v1/preferences/by-link?"))).status).toBe(400);
  });
});
