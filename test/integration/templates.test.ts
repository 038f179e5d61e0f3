/** Templates (docs/api.md#templates-and-the-outbox; seed problem: string replacement): Mustache, syntax checked at save, missing data named. */
import { describe, expect, it } from "vitest";
import { api } from "../helpers";

const name = () => `tpl_${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}`;

describe("templates", () => {
  it("saves, reads, lists and deletes", async () => {
    const n = name();
    const put = await api(`/v1/templates/${n}`, { method: "PUT", json: { channel: "in_app", subject: "Hi {{name}}", body: "Hello {{name}}" } });
    expect(put.status).toBe(201);
    expect((await api(`/v1/templates/${n}`, { method: "PUT", json: { channel: "in_app", subject: "Hey {{name}}", body: "Hello {{name}}" } })).status).toBe(200);
    expect(await (await api(`/v1/templates/${n}`)).json()).toMatchObject({ name: n, subject: "Hey {{name}}", active: true });
    const list = (await (await api("/v1/templates?limit=200")).json()) as { items: { name: string }[] };
    expect(list.items.map((t) => t.name)).toEqual(expect.arrayContaining([n, "welcome", "wallet_recharged", "behaviour.like"]));
    expect((await api(`/v1/templates/${n}`, { method: "DELETE" })).status).toBe(204);
    expect((await api(`/v1/templates/${n}`)).status).toBe(404);
  });

  it("refuses a syntax error with 422 and saves nothing", async () => {
    const n = name();
    const res = await api(`/v1/templates/${n}`, { method: "PUT", json: { channel: "sms", body: "Hello {{#items}}{{name}}" } });
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({ code: "template_invalid", errors: [{ path: "body" }] });
    expect((await api(`/v1/templates/${n}`)).status).toBe(404);
  });

  it("previews with sections and loops, and names every missing variable", async () => {
    const n = name();
    await api(`/v1/templates/${n}`, {
      method: "PUT",
      json: { channel: "sms", subject: "Order {{orderId}}", body: "{{#vip}}VIP! {{/vip}}Items:{{#items}} {{title}}{{/items}}. Total {{total}}" },
    });
    const ok = await api(`/v1/templates/${n}/preview`, { method: "POST", json: { data: { orderId: 7, vip: true, items: [{ title: "a" }, { title: "b" }], total: "9.50" } } });
    expect(await ok.json()).toEqual({ channel: "sms", subject: "Order 7", body: "VIP! Items: a b. Total 9.50", html: null });
    const missing = await api(`/v1/templates/${n}/preview`, { method: "POST", json: { data: { items: [] } } });
    expect(missing.status).toBe(422);
    const body = (await missing.json()) as { errors: { path: string }[] };
    expect(body.errors.map((e) => e.path).sort()).toEqual(["data.orderId", "data.total"]);
  });

  it("HTML-escapes variables in email bodies and keeps a plain-text part", async () => {
    const res = await api("/v1/templates/welcome/preview", { method: "POST", json: { data: { username: "<b>Eve</b>", email: "eve@example.com" } } });
    const rendered = (await res.json()) as { subject: string; html: string; body: string };
    expect(rendered.html).toContain("&lt;b&gt;Eve&lt;&#x2F;b&gt;");
    expect(rendered.html).not.toContain("<b>Eve</b>");
    expect(rendered.subject).toBe("Welcome to the app, <b>Eve</b>!");
    expect(rendered.body).toContain("Welcome, <b>Eve</b>!");
  });
});
