/**
 * `category` and `critical` on notifications (docs/api.md#preferences): stored on the notification,
 * defaulted from the template, else `general`; validated; part of the idempotency fingerprint.
 */
import { describe, expect, it } from "vitest";
import { api, freshId } from "../../helpers";

interface View {
  category: string;
  critical: boolean;
}

const view = async (id: string) => (await (await api(`/v1/notifications/${id}`)).json()) as View;

describe("notification category and critical", () => {
  it("stores the given category and critical flag, and defaults to general / not critical", async () => {
    const userId = freshId();
    const given = await api("/v1/notifications", { method: "POST", json: { userId, title: "Code", body: "123456", category: "security.otp", critical: true } });
    expect(given.status).toBe(202);
    expect(await view(((await given.json()) as { id: string }).id)).toMatchObject({ category: "security.otp", critical: true });

    const plain = await api("/v1/notifications", { method: "POST", json: { userId, title: "Hi", body: "there" } });
    expect(await view(((await plain.json()) as { id: string }).id)).toMatchObject({ category: "general", critical: false });
  });

  it("takes the template's category when the request names none, and the request's over it", async () => {
    const name = `cat_${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}`;
    const put = await api(`/v1/templates/${name}`, { method: "PUT", json: { channel: "in_app", subject: "Hi {{n}}", body: "b", category: "billing" } });
    expect(put.status).toBe(201);
    expect(((await put.json()) as { category: string }).category).toBe("billing");
    const userId = freshId();
    const fromTemplate = await api("/v1/notifications", { method: "POST", json: { userId, template: name, data: { n: 1 } } });
    expect((await view(((await fromTemplate.json()) as { id: string }).id)).category).toBe("billing");
    const overridden = await api("/v1/notifications", { method: "POST", json: { userId, template: name, data: { n: 1 }, category: "news" } });
    expect((await view(((await overridden.json()) as { id: string }).id)).category).toBe("news");
  });

  it("refuses a bad category name, naming the field", async () => {
    for (const category of ["Billing", "", "a b", "x".repeat(65)]) {
      const res = await api("/v1/notifications", { method: "POST", json: { userId: freshId(), title: "t", category } });
      expect(res.status).toBe(400);
      const problem = (await res.json()) as { code: string; errors: { path: string }[] };
      expect(problem.code).toBe("validation_failed");
      expect(problem.errors.map((e) => e.path)).toContain("category");
    }
  });

  it("counts category and critical in the idempotency fingerprint", async () => {
    const userId = freshId();
    const key = freshId("key");
    const first = await api("/v1/notifications", { method: "POST", json: { userId, title: "t", category: "news" }, headers: { "idempotency-key": key } });
    expect(first.status).toBe(202);
    const again = await api("/v1/notifications", { method: "POST", json: { userId, title: "t", category: "news" }, headers: { "idempotency-key": key } });
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    const otherCategory = await api("/v1/notifications", { method: "POST", json: { userId, title: "t", category: "billing" }, headers: { "idempotency-key": key } });
    expect(otherCategory.status).toBe(422);
    const nowCritical = await api("/v1/notifications", { method: "POST", json: { userId, title: "t", category: "news", critical: true }, headers: { "idempotency-key": key } });
    expect(nowCritical.status).toBe(422);
  });

  it("stores category and critical on batch items, and refuses a bad one per item", async () => {
    const userId = freshId();
    const res = await api("/v1/notifications/batch", {
      method: "POST",
      json: {
        items: [
          { idempotencyKey: freshId("k"), userId, title: "a", category: "orders", critical: true },
          { idempotencyKey: freshId("k"), userId, title: "b" },
          { idempotencyKey: freshId("k"), userId, title: "c", category: "NOPE" },
        ],
      },
    });
    expect(res.status).toBe(200);
    const { results } = (await res.json()) as { results: { status: string; notificationId: string | null; error?: { errors?: { path: string }[] } }[] };
    expect(results.map((r) => r.status)).toEqual(["created", "created", "invalid"]);
    expect(await view(results[0]!.notificationId!)).toMatchObject({ category: "orders", critical: true });
    expect(await view(results[1]!.notificationId!)).toMatchObject({ category: "general", critical: false });
    expect(results[2]!.error!.errors!.map((e) => e.path)).toContain("category");
  });
});
