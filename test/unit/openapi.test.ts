import { describe, expect, it } from "vitest";
import { ERROR_CODES } from "../../shared/api/http";
import { eventComponentName, openApiDocument } from "../../shared/api/openapi";
import { routes } from "../../shared/api/routes";
import { EVENT_TYPES } from "../../shared/domain/events";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const doc = JSON.parse(JSON.stringify(openApiDocument())) as JsonObject;
const components = doc.components as JsonObject;
const schemas = components.schemas as JsonObject;
const paths = doc.paths as JsonObject;

/** Resolves a local JSON pointer (`#/components/schemas/Event`) inside the document. */
function resolvePointer(ref: string): Json | undefined {
  if (!ref.startsWith("#/")) return undefined;
  let node: Json | undefined = doc;
  for (const raw of ref.slice(2).split("/")) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (node === null || typeof node !== "object" || Array.isArray(node) || !(key in node)) return undefined;
    node = node[key];
  }
  return node;
}

function* walk(node: Json, path: string): Generator<[string, JsonObject]> {
  if (node === null || typeof node !== "object") return;
  if (Array.isArray(node)) {
    for (const [index, item] of node.entries()) yield* walk(item, `${path}/${index}`);
    return;
  }
  yield [path, node];
  for (const [key, value] of Object.entries(node)) yield* walk(value, `${path}/${key}`);
}

/** Every schema object of the document: component schemas and media type / parameter schemas, recursively. */
function* schemaObjects(): Generator<[string, JsonObject]> {
  const roots: [string, Json][] = Object.entries(schemas).map(([name, schema]) => [
    `#/components/schemas/${name}`,
    schema,
  ]);
  for (const [path, node] of walk(paths, "#/paths")) {
    if (node.schema && typeof node.schema === "object" && !Array.isArray(node.schema))
      roots.push([`${path}/schema`, node.schema]);
  }
  const subschemaKeys = [
    "items",
    "additionalProperties",
    "not",
    "contains",
    "propertyNames",
    "if",
    "then",
    "else",
  ];
  const subschemaListKeys = ["oneOf", "anyOf", "allOf", "prefixItems"];
  const subschemaMapKeys = ["properties", "patternProperties", "$defs", "dependentSchemas"];
  const visit = function* (path: string, schema: Json): Generator<[string, JsonObject]> {
    if (schema === null || typeof schema !== "object" || Array.isArray(schema)) return;
    yield [path, schema];
    for (const key of subschemaKeys) if (key in schema) yield* visit(`${path}/${key}`, schema[key]!);
    for (const key of subschemaListKeys) {
      const list = schema[key];
      if (Array.isArray(list))
        for (const [i, item] of list.entries()) yield* visit(`${path}/${key}/${i}`, item);
    }
    for (const key of subschemaMapKeys) {
      const map = schema[key];
      if (map && typeof map === "object" && !Array.isArray(map)) {
        for (const [name, item] of Object.entries(map)) yield* visit(`${path}/${key}/${name}`, item);
      }
    }
  };
  for (const [path, schema] of roots) yield* visit(path, schema);
}

// JSON Schema 2020-12 keywords (core, applicator, validation, format, content, meta-data) and the
// OpenAPI 3.1 schema extensions.
// biome-ignore format: one keyword group a line
const SCHEMA_KEYWORDS = new Set([
  "$ref", "$id", "$schema", "$defs", "$comment", "$anchor", "$dynamicRef", "$dynamicAnchor",
  "allOf", "anyOf", "oneOf", "not", "if", "then", "else", "dependentSchemas", "prefixItems", "items", "contains",
  "properties", "patternProperties", "additionalProperties", "propertyNames", "unevaluatedItems", "unevaluatedProperties",
  "type", "enum", "const", "multipleOf", "maximum", "exclusiveMaximum", "minimum", "exclusiveMinimum", "maxLength",
  "minLength", "pattern", "maxItems", "minItems", "uniqueItems", "maxContains", "minContains", "maxProperties",
  "minProperties", "required", "dependentRequired", "format", "contentEncoding", "contentMediaType", "contentSchema",
  "title", "description", "default", "deprecated", "readOnly", "writeOnly", "examples",
  "discriminator", "xml", "externalDocs", "example",
]);
const TYPES = new Set(["null", "boolean", "object", "array", "number", "string", "integer"]);

describe("the OpenAPI document", () => {
  it("is OpenAPI 3.1 with a title, a version and a description of the signing scheme", () => {
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    const info = doc.info as JsonObject;
    expect(info.title).toEqual(expect.any(String));
    expect(info.version).toEqual(expect.any(String));
    expect(info.description).toContain("{webhook-id}.{webhook-timestamp}.{raw body}");
    expect(info.description).toContain("5 minutes");
    expect(info.description).toContain("1 MiB");
  });

  it("documents every stable error code", () => {
    for (const code of Object.keys(ERROR_CODES))
      expect((doc.info as JsonObject).description).toContain(`\`${code}\``);
  });

  it("has every route of shared/api/routes.ts, and no other", () => {
    const documented = Object.entries(paths).flatMap(([path, item]) =>
      Object.keys(item as JsonObject)
        .filter((key) => ["get", "put", "post", "delete", "patch", "head", "options", "trace"].includes(key))
        .map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(documented.sort()).toEqual(routes.map((route) => route.routeKey).sort());
  });

  it("gives every operation a unique operationId and responses with descriptions", () => {
    const ids = new Set<string>();
    for (const [path, item] of Object.entries(paths)) {
      for (const [method, operation] of Object.entries(item as JsonObject)) {
        const op = operation as JsonObject;
        expect(op.operationId, `${method} ${path}`).toEqual(expect.any(String));
        expect(ids.has(op.operationId as string)).toBe(false);
        ids.add(op.operationId as string);
        for (const response of Object.values(op.responses as JsonObject)) {
          expect((response as JsonObject).description).toEqual(expect.any(String));
        }
      }
    }
  });

  it("declares every path template parameter as a required path parameter", () => {
    for (const [path, item] of Object.entries(paths)) {
      const names = [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]);
      for (const operation of Object.values(item as JsonObject)) {
        const parameters = ((operation as JsonObject).parameters ?? []) as JsonObject[];
        const declared = parameters.filter((p) => p.in === "path");
        expect(declared.map((p) => p.name).sort()).toEqual(names.sort());
        for (const p of declared) expect(p.required).toBe(true);
      }
    }
  });

  it("documents the three Standard Webhooks headers as required header parameters of the intake", () => {
    const intake = (paths["/v1/sources/{sourceId}/events"] as JsonObject).post as JsonObject;
    const headers = (intake.parameters as JsonObject[]).filter((p) => p.in === "header");
    expect(headers.map((p) => [p.name, p.required])).toEqual([
      ["webhook-id", true],
      ["webhook-timestamp", true],
      ["webhook-signature", true],
    ]);
    expect(Object.keys(intake.responses as JsonObject).sort()).toEqual(
      ["200", "207", "400", "401", "413", "422", "500", "503"].sort(),
    );
  });

  it("describes the batch as 1–500 events of the Event schema", () => {
    const batch = schemas.EventBatch as JsonObject;
    const events = (batch.properties as JsonObject).events as JsonObject;
    expect(events).toMatchObject({
      type: "array",
      minItems: 1,
      maxItems: 500,
      items: { $ref: "#/components/schemas/Event" },
    });
  });

  it("lists all 15 event types in the Event schema, as a oneOf with a discriminator on `type`", () => {
    const event = schemas.Event as JsonObject;
    const variants = event.oneOf as JsonObject[];
    expect(EVENT_TYPES).toHaveLength(15);
    expect(variants).toHaveLength(15);
    const types = variants.map((variant) => {
      const schema = resolvePointer(variant.$ref as string) as JsonObject;
      return ((schema.properties as JsonObject).type as JsonObject).const;
    });
    expect(types).toEqual([...EVENT_TYPES]);
    const mapping = (event.discriminator as JsonObject).mapping as JsonObject;
    expect((event.discriminator as JsonObject).propertyName).toBe("type");
    expect(Object.keys(mapping)).toEqual([...EVENT_TYPES]);
    for (const type of EVENT_TYPES)
      expect(mapping[type]).toBe(`#/components/schemas/${eventComponentName(type)}`);
  });

  it("describes the results of 200/207/422 with the applied/duplicate/rejected statuses", () => {
    const result = schemas.EventResult as JsonObject;
    const properties = result.properties as JsonObject;
    expect((properties.status as JsonObject).enum).toEqual(["applied", "duplicate", "rejected"]);
    expect(result.required).toEqual(["id", "status"]);
    const error = resolvePointer((properties.error as JsonObject).$ref as string) as JsonObject;
    expect(((error.properties as JsonObject).code as JsonObject).enum).toEqual([
      "invalid_event",
      "unknown_unit",
      "out_of_scope",
      "id_conflict",
      "dossier_limit",
    ]);
  });

  it("protects the report routes with bearer auth and documents 200/401/403/404", () => {
    const scheme = (components.securitySchemes as JsonObject).readerToken as JsonObject;
    expect(scheme).toMatchObject({ type: "http", scheme: "bearer" });
    for (const method of ["get", "post"]) {
      const op = (paths["/v1/reports"] as JsonObject)[method] as JsonObject;
      expect(op.security).toEqual([{ readerToken: [] }, { personToken: [] }]);
      expect(Object.keys(op.responses as JsonObject)).toEqual(
        expect.arrayContaining(["200", "401", "403", "404"]),
      );
    }
  });

  it("documents GET /v1/figures: bearer auth, its query without expiresIn, 200/400/401/403/404, and the monthly series", () => {
    const op = (paths["/v1/figures"] as JsonObject).get as JsonObject;
    expect(op.security).toEqual([{ readerToken: [] }, { personToken: [] }]);
    expect(Object.keys(op.responses as JsonObject)).toEqual(
      expect.arrayContaining(["200", "400", "401", "403", "404"]),
    );
    const names = (op.parameters as JsonObject[]).map((p) => p.name);
    expect(names).toEqual(
      expect.arrayContaining(["communeCode", "provinceCode", "year", "period", "quarter", "month"]),
    );
    expect(names).not.toContain("expiresIn");
    const figures = schemas.Figures as JsonObject;
    const months = (figures.properties as JsonObject).months as JsonObject;
    expect((months.items as JsonObject).$ref).toBe("#/components/schemas/MonthFigures");
    const month = schemas.MonthFigures as JsonObject;
    expect(Object.keys(month.properties as JsonObject)).toEqual([
      "year",
      "month",
      "from",
      "to",
      "received",
      "resolved",
      "pendingAtEnd",
    ]);
  });

  it("resolves every $ref", () => {
    const refs = [...walk(doc, "#")].filter(([, node]) => typeof node.$ref === "string");
    expect(refs.length).toBeGreaterThan(15);
    for (const [path, node] of refs)
      expect(resolvePointer(node.$ref as string), `${path} → ${node.$ref}`).toBeDefined();
  });

  it("uses only JSON Schema 2020-12 / OpenAPI 3.1 keywords, with well-formed values", () => {
    let count = 0;
    for (const [path, schema] of schemaObjects()) {
      count++;
      for (const key of Object.keys(schema)) {
        expect(SCHEMA_KEYWORDS.has(key) || key.startsWith("x-"), `${path}: unknown keyword ${key}`).toBe(
          true,
        );
      }
      const types = schema.type === undefined ? [] : Array.isArray(schema.type) ? schema.type : [schema.type];
      for (const type of types) expect(TYPES.has(type as string), `${path}: type ${type}`).toBe(true);
      if (schema.required !== undefined) {
        expect(Array.isArray(schema.required), path).toBe(true);
        const properties = (schema.properties ?? {}) as JsonObject;
        for (const name of schema.required as string[])
          expect(name in properties, `${path}: required ${name}`).toBe(true);
      }
      if (typeof schema.pattern === "string")
        expect(() => new RegExp(schema.pattern as string, "u"), path).not.toThrow();
      if (schema.enum !== undefined)
        expect(Array.isArray(schema.enum) && schema.enum.length > 0, path).toBe(true);
      for (const key of ["minItems", "maxItems", "minLength", "maxLength"]) {
        if (key in schema)
          expect(Number.isInteger(schema[key]) && (schema[key] as number) >= 0, `${path}: ${key}`).toBe(true);
      }
    }
    expect(count).toBeGreaterThan(100);
  });

  it("is built once and shared", () => {
    expect(openApiDocument()).toBe(openApiDocument());
  });
});
