/**
 * Problem types resolve (docs/api.md#problem-types): every error code has a page at
 * `/problems/{slug}` saying what it means, its status and what to do; `/problems` lists them; the
 * `type` of a real error response, resolved against the request's URL as RFC 9457 §3.1.1 says,
 * is a page this deployment serves.
 */
import { describe, expect, it } from "vitest";
import { PROBLEM_PAGES } from "../../src/http/problem-pages";
import { ERROR_STATUS, PROBLEM_TITLES, problemType, type ErrorCode } from "../../src/lib/errors";
import { api, BASE } from "../helpers";

const CODES = Object.keys(ERROR_STATUS) as ErrorCode[];

/** Fetches the page a problem's `type` names, resolved against the URL of the request that got it. */
async function dereference(type: string, requestPath: string): Promise<Response> {
  const url = new URL(type, `${BASE}${requestPath}`);
  expect(url.origin, "the type resolves to this deployment").toBe(BASE);
  return api(`${url.pathname}${url.search}`, { auth: null });
}

describe("problem pages", () => {
  it("has page text for every error code, and for no other", () => {
    expect(Object.keys(PROBLEM_PAGES).sort()).toEqual([...CODES].sort());
    for (const code of CODES) {
      const page = PROBLEM_PAGES[code];
      expect(page.meaning.length, code).toBeGreaterThan(20);
      expect(page.causes.length, code).toBeGreaterThan(0);
      expect(page.whatToDo.length, code).toBeGreaterThan(0);
    }
  });

  it.each(CODES)("serves %s's page with its title, status, code and advice, without auth", async (code) => {
    const res = await api(problemType(code), { auth: null });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toContain(`<h1>${PROBLEM_TITLES[code].replaceAll("'", "&#39;")}</h1>`);
    expect(html).toContain(`<strong>${ERROR_STATUS[code]}</strong>`);
    expect(html).toContain(`<code>${code}</code>`);
    expect(html).toContain("What it means");
    expect(html).toContain("What to do");
  });

  it("lists every code on /problems, each linking to its page", async () => {
    const res = await api("/problems", { auth: null });
    expect(res.status).toBe(200);
    const html = await res.text();
    for (const code of CODES) expect(html).toContain(`href="${problemType(code)}"`);
  });

  it("answers an unknown problem type with a 404 problem", async () => {
    const res = await api("/problems/no-such-problem", { auth: null });
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(await res.json()).toMatchObject({ code: "not_found", type: problemType("not_found") });
  });

  it("sends the snake_case code to the page's kebab-case address", async () => {
    const res = await api("/problems/validation_failed", { auth: null, redirect: "manual" });
    expect(res.status).toBe(301);
    expect(new URL(res.headers.get("location")!, BASE).pathname).toBe("/problems/validation-failed");
    expect((await api("/problems/toString", { auth: null, redirect: "manual" })).status).toBe(404);
  });
});

describe("the type of a real error response", () => {
  const cases: [string, string, Parameters<typeof api>[1], ErrorCode][] = [
    ["no credential", "/v1/templates", { auth: null }, "unauthorized"],
    ["an unknown route", "/v1/no-such-thing", {}, "not_found"],
    ["a body that does not match", "/v1/notifications", { method: "POST", json: { userId: "u_problem", priority: "urgent" } }, "validation_failed"],
    ["a body that does not parse", "/v1/notifications", { method: "POST", body: "{", headers: { "content-type": "application/json" } }, "malformed_json"],
    ["a body that is not JSON", "/v1/notifications", { method: "POST", body: "x", headers: { "content-type": "text/plain" } }, "unsupported_media_type"],
    ["a user route with an API key", "/v1/me/notifications", {}, "forbidden"],
  ];

  it.each(cases)("for %s is a relative /problems URI that resolves to a 200 page", async (_what, path, init, code) => {
    const res = await api(path, init);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    const problem = (await res.json()) as { type: string; code: string; status: number };
    expect(problem.code).toBe(code);
    expect(problem.status).toBe(res.status);
    expect(problem.type).toBe(`/problems/${code.replaceAll("_", "-")}`);
    const page = await dereference(problem.type, path);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(`<code>${code}</code>`);
  });
});
