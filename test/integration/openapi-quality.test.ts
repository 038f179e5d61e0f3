/**
 * The API document generates good SDKs (docs/api.md#the-api-document): every operation has a
 * unique lowerCamelCase `operationId`, a tag declared with a description, a complete example on
 * its request body and on its 2xx responses; at least 90% of the schema fields are described;
 * `servers` names this deployment. A failure lists the operations to fix — a new route that skips
 * a convention shows up here. The external validator runs in Node, where it can read its schemas
 * and compile them: test/e2e/openapi-validator.test.ts.
 */
import { describe, expect, it } from "vitest";
import { api } from "../helpers";
import { auditOpenApi, auditSummary, type OpenApiAudit } from "../openapi-audit";

/** The share of schema fields (properties and parameters) that must carry a description. */
const MIN_DESCRIBED_SHARE = 0.9;

// One fetch for the whole file: the document is generated from the routes, the same on every call.
let cached: Promise<{ doc: Record<string, unknown>; audit: OpenApiAudit }> | undefined;
function document() {
  cached ??= (async () => {
    const res = await api("/openapi.json", { auth: null });
    expect(res.status).toBe(200);
    const doc = (await res.json()) as Record<string, unknown>;
    return { doc, audit: auditOpenApi(doc) };
  })();
  return cached;
}

describe("the OpenAPI document", () => {
  it("gives every operation a unique lowerCamelCase operationId", async () => {
    const { audit } = await document();
    expect(audit.operations.length).toBeGreaterThan(0);
    expect(audit.missingOperationId, "operations without an operationId").toEqual([]);
    expect(audit.badOperationId, "operationIds that are not lowerCamelCase (verb first: listTopics)").toEqual([]);
    expect(audit.duplicateOperationId, "operationIds used twice").toEqual([]);
  });

  it("tags every operation with a tag declared with a description (src/http/api-tags.ts)", async () => {
    const { audit } = await document();
    expect(audit.tagsDescribed).toBe(audit.tagsDeclared);
    expect(audit.badTag, "operations with no tag or an undeclared one").toEqual([]);
  });

  it("has a complete example on every request body and every 2xx response", async () => {
    const { audit } = await document();
    expect(audit.missingRequestExample, "request bodies without a complete example").toEqual([]);
    expect(audit.missingResponseExample, "2xx responses without a complete example").toEqual([]);
  });

  it(`describes at least ${MIN_DESCRIBED_SHARE * 100}% of the schema fields`, async () => {
    const { audit } = await document();
    const share = audit.fieldsDescribed / audit.fieldsTotal;
    expect(share, `${auditSummary(audit)}\nundescribed:\n${audit.undescribedFields.join("\n")}`).toBeGreaterThanOrEqual(MIN_DESCRIBED_SHARE);
  });

  it("names this deployment (PUBLIC_URL) and a local server in `servers`", async () => {
    const { doc } = await document();
    const urls = (doc.servers as { url: string }[]).map((s) => s.url);
    expect(urls).toEqual(["https://herald.example.com", "http://localhost:8787"]);
  });
});

describe("the audit", () => {
  // The audit is what the tests above trust: it must see a broken document as broken.
  it("finds each kind of flaw in a document that has them", () => {
    const audit = auditOpenApi({
      openapi: "3.1.0",
      tags: [{ name: "things", description: "Things." }, { name: "bare" }],
      components: { schemas: { Thing: { type: "object", required: ["id"], properties: { id: { type: "string", description: "Id." }, name: { type: "string" } } } } },
      paths: {
        "/things": {
          get: { operationId: "list_things", tags: ["bare"], responses: { 200: { description: "ok", content: { "application/json": { schema: { $ref: "#/components/schemas/Thing" } } } } } },
          post: {
            operationId: "createThing",
            tags: ["things"],
            requestBody: { content: { "application/json": { schema: { $ref: "#/components/schemas/Thing" }, example: { name: "no id" } } } },
            responses: { 201: { description: "ok", content: { "application/json": { schema: { type: "object" }, example: {} } } } },
          },
        },
        "/things/{id}": {
          get: { operationId: "createThing", parameters: [{ name: "id", in: "path", schema: { type: "string" } }], responses: { 204: { description: "none" } } },
        },
      },
    });
    expect(audit.operations).toEqual(["GET /things", "POST /things", "GET /things/{id}"]);
    expect(audit.badOperationId).toEqual(["GET /things (list_things)"]);
    expect(audit.duplicateOperationId).toEqual(["GET /things/{id} and POST /things (createThing)"]);
    expect(audit.badTag).toEqual(["GET /things [bare]", "GET /things/{id} []"]);
    expect(audit.missingRequestExample).toEqual(["POST /things"]);
    expect(audit.missingResponseExample).toEqual(["GET /things 200"]);
    expect([audit.fieldsDescribed, audit.fieldsTotal]).toEqual([1, 3]);
    expect(audit.undescribedFields).toEqual(["Thing.name", "GET /things/{id} path id"]);
    expect(audit.servers).toBe(0);
  });
});
