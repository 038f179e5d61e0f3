/**
 * Audits the OpenAPI document against the conventions that make it generate good SDKs
 * (docs/api.md#the-api-document): an `operationId` per operation, declared and described tags,
 * described fields, complete examples, `servers`. A pure function over the JSON document, so the
 * workerd test (test/integration/openapi-quality.test.ts) and a one-off count agree.
 */

type Json = Record<string, unknown>;

/** What the audit found. Every list names the operations or fields that break a convention. */
export interface OpenApiAudit {
  /** `METHOD /path` of every operation (webhooks as `WEBHOOK name`). */
  operations: string[];
  withOperationId: number;
  missingOperationId: string[];
  /** Operations whose id is not lowerCamelCase (`listTopics`, never `list_topics` or `ListTopics`). */
  badOperationId: string[];
  duplicateOperationId: string[];
  /** Tags declared at the document's top level, and how many carry a description. */
  tagsDeclared: number;
  tagsDescribed: number;
  /** Operations with no tag, or a tag that is not declared with a description. */
  badTag: string[];
  /** Properties of every object schema (components once, inline schemas where they appear) plus parameters. */
  fieldsTotal: number;
  fieldsDescribed: number;
  undescribedFields: string[];
  requestBodies: number;
  requestBodiesWithExample: number;
  /** Request bodies without an example, or with one missing a required property. */
  missingRequestExample: string[];
  successResponses: number;
  successResponsesWithExample: number;
  missingResponseExample: string[];
  servers: number;
}

const METHODS = ["get", "put", "post", "delete", "patch", "head", "options", "trace"];
const LOWER_CAMEL = /^[a-z][a-zA-Z0-9]*$/;

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

/** Audits `doc` (the parsed `/openapi.json`). */
export function auditOpenApi(doc: Json): OpenApiAudit {
  const components = (isObject(doc.components) ? doc.components : {}) as Json;
  const schemas = (isObject(components.schemas) ? components.schemas : {}) as Record<string, Json>;
  const resolve = (schema: unknown): Json | undefined => {
    if (!isObject(schema)) return undefined;
    const ref = schema.$ref;
    if (typeof ref === "string" && ref.startsWith("#/components/schemas/")) return resolve(schemas[ref.slice("#/components/schemas/".length)]);
    return schema;
  };

  const fields = { total: 0, described: 0, undescribed: [] as string[] };
  const hasDescription = (schema: unknown): boolean => {
    if (!isObject(schema)) return false;
    if (typeof schema.description === "string" && schema.description.length > 0) return true;
    return typeof schema.$ref === "string" && hasDescription(resolve(schema));
  };
  // Inline schemas are walked where they appear; a $ref is counted once, under components.
  const walk = (schema: unknown, where: string): void => {
    if (!isObject(schema) || typeof schema.$ref === "string") return;
    if (isObject(schema.properties)) {
      for (const [name, property] of Object.entries(schema.properties)) {
        fields.total++;
        if (hasDescription(property)) fields.described++;
        else fields.undescribed.push(`${where}.${name}`);
        walk(property, `${where}.${name}`);
      }
    }
    if (isObject(schema.items)) walk(schema.items, `${where}[]`);
    if (isObject(schema.additionalProperties)) walk(schema.additionalProperties, `${where}{}`);
    for (const key of ["anyOf", "oneOf", "allOf"]) {
      const members = schema[key];
      if (Array.isArray(members)) members.forEach((member, i) => walk(member, `${where}<${i}>`));
    }
  };
  for (const [name, schema] of Object.entries(schemas)) walk(schema, name);

  const exampleOf = (media: unknown): unknown => {
    if (!isObject(media)) return undefined;
    if (media.example !== undefined) return media.example;
    if (isObject(media.examples)) {
      const first = Object.values(media.examples)[0];
      if (isObject(first) && first.value !== undefined) return first.value;
    }
    const schema = resolve(media.schema);
    if (!schema) return undefined;
    if (schema.example !== undefined) return schema.example;
    return Array.isArray(schema.examples) ? schema.examples[0] : undefined;
  };
  // Complete: every required property of the (resolved) object schema is in the example. A union
  // without an example of its own is complete when each of its members is.
  const isComplete = (media: unknown): boolean => {
    const schema = resolve(isObject(media) ? media.schema : undefined);
    const example = exampleOf(media);
    if (example === undefined) {
      const members = schema && (schema.anyOf ?? schema.oneOf);
      return Array.isArray(members) && members.every((member) => isComplete({ schema: member }));
    }
    if (!schema || !Array.isArray(schema.required)) return true;
    return isObject(example) && schema.required.every((name) => name in example);
  };

  const declaredTags = Array.isArray(doc.tags) ? (doc.tags as Json[]) : [];
  const describedTags = new Set(declaredTags.filter((t) => typeof t.description === "string" && t.description.length > 0).map((t) => t.name));

  const audit: OpenApiAudit = {
    operations: [],
    withOperationId: 0,
    missingOperationId: [],
    badOperationId: [],
    duplicateOperationId: [],
    tagsDeclared: declaredTags.length,
    tagsDescribed: describedTags.size,
    badTag: [],
    fieldsTotal: 0,
    fieldsDescribed: 0,
    undescribedFields: [],
    requestBodies: 0,
    requestBodiesWithExample: 0,
    missingRequestExample: [],
    successResponses: 0,
    successResponsesWithExample: 0,
    missingResponseExample: [],
    servers: Array.isArray(doc.servers) ? doc.servers.length : 0,
  };
  const seenIds = new Map<string, string>();

  const operations: [string, Json][] = [];
  for (const [path, item] of Object.entries((doc.paths ?? {}) as Record<string, Json>)) {
    for (const method of METHODS) if (isObject(item[method])) operations.push([`${method.toUpperCase()} ${path}`, item[method]]);
  }
  for (const [name, item] of Object.entries((doc.webhooks ?? {}) as Record<string, Json>)) {
    for (const method of METHODS) if (isObject(item[method])) operations.push([`WEBHOOK ${name}`, item[method]]);
  }

  for (const [label, op] of operations) {
    audit.operations.push(label);
    const id = op.operationId;
    if (typeof id !== "string" || id.length === 0) audit.missingOperationId.push(label);
    else {
      audit.withOperationId++;
      if (!LOWER_CAMEL.test(id)) audit.badOperationId.push(`${label} (${id})`);
      const other = seenIds.get(id);
      if (other) audit.duplicateOperationId.push(`${label} and ${other} (${id})`);
      seenIds.set(id, label);
    }
    const tags = Array.isArray(op.tags) ? (op.tags as string[]) : [];
    if (tags.length === 0 || tags.some((t) => !describedTags.has(t))) audit.badTag.push(`${label} [${tags.join(", ")}]`);

    for (const parameter of Array.isArray(op.parameters) ? (op.parameters as Json[]) : []) {
      fields.total++;
      if (hasDescription(parameter) || hasDescription(parameter.schema)) fields.described++;
      else fields.undescribed.push(`${label} ${String(parameter.in)} ${String(parameter.name)}`);
    }

    const body = isObject(op.requestBody) ? op.requestBody : undefined;
    if (body && isObject(body.content)) {
      audit.requestBodies++;
      const media = Object.values(body.content);
      media.forEach((m, i) => walk(isObject(m) ? m.schema : undefined, `${label} body<${i}>`));
      if (media.every(isComplete)) audit.requestBodiesWithExample++;
      else audit.missingRequestExample.push(label);
    }

    for (const [status, response] of Object.entries((op.responses ?? {}) as Record<string, Json>)) {
      if (!isObject(response.content)) continue;
      const media = Object.values(response.content);
      if (status.startsWith("2")) {
        audit.successResponses++;
        if (media.every(isComplete)) audit.successResponsesWithExample++;
        else audit.missingResponseExample.push(`${label} ${status}`);
      }
      media.forEach((m) => walk(isObject(m) ? m.schema : undefined, `${label} ${status}`));
    }
  }

  audit.fieldsTotal = fields.total;
  audit.fieldsDescribed = fields.described;
  audit.undescribedFields = fields.undescribed;
  return audit;
}

/** The figures of an audit, one line each, for a report (issue 19's before/after counts). */
export function auditSummary(a: OpenApiAudit): string {
  return [
    `operations: ${a.operations.length}`,
    `with operationId: ${a.withOperationId}`,
    `tags declared: ${a.tagsDeclared}, with a description: ${a.tagsDescribed}`,
    `fields described: ${a.fieldsDescribed} of ${a.fieldsTotal}`,
    `request bodies with a complete example: ${a.requestBodiesWithExample} of ${a.requestBodies}`,
    `success responses with a complete example: ${a.successResponsesWithExample} of ${a.successResponses}`,
    `servers: ${a.servers}`,
  ].join("\n");
}
