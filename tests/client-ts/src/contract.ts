// The runtime half of the typed client: TypeScript types vanish when compiled, so the JSON a running API sends is
// checked against the same document the types were generated from (openapi/v1.json), schema by schema, with Ajv.
// What fails: a required property missing, a null the document does not declare, a value outside its enum, a
// property the document does not declare (its objects say additionalProperties: false), a wrong type or format.
import { readFileSync } from "node:fs";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";

// ajv-formats is CommonJS: under Node's ESM loader its function is the default export's `default`.
const addFormats = addFormatsModule.default;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const isObject = (value: Json | undefined): value is JsonObject =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Where the document's component schemas live once loaded into Ajv. */
const ROOT = "spinegraph:openapi";

/**
 * OpenAPI 3.0 schema objects are almost JSON Schema draft 7: rewrite what is not. `nullable: true` becomes a
 * `null` alternative (and `null` joins an enum); `#/components/schemas/X` references point into the loaded
 * document; `example` (an annotation) is dropped.
 */
function toJsonSchema(node: Json): Json {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (!isObject(node)) return node;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === "example" || key === "nullable") continue;
    if (key === "$ref" && typeof value === "string") out[key] = value.replace(/^#\/components\/schemas\//, `${ROOT}#/definitions/`);
    else out[key] = key === "properties" && isObject(value)
      ? Object.fromEntries(Object.entries(value).map(([name, schema]) => [name, toJsonSchema(schema)]))
      : toJsonSchema(value);
  }
  if (node["nullable"] !== true) return out;
  if (typeof out["type"] === "string") {
    out["type"] = [out["type"], "null"];
    if (Array.isArray(out["enum"])) out["enum"] = [...out["enum"], null];
    return out;
  }
  return { anyOf: [out, { type: "null" }] };
}

export interface Operation {
  method: "get" | "post" | "put" | "patch" | "delete" | "head";
  path: string;
}

/** The schemas of openapi/v1.json, ready to check responses of its operations. */
export class Contract {
  private readonly ajv: Ajv;
  private readonly document: JsonObject;
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(documentPath: string) {
    this.document = JSON.parse(readFileSync(documentPath, "utf8")) as JsonObject;
    this.ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
    addFormats(this.ajv);
    // .NET's numeric formats: in range, and integral where they are integers.
    this.ajv.addFormat("int32", { type: "number", validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 });
    this.ajv.addFormat("int64", { type: "number", validate: (n: number) => Number.isInteger(n) });
    this.ajv.addFormat("double", { type: "number", validate: (n: number) => Number.isFinite(n) });
    this.ajv.addFormat("float", { type: "number", validate: (n: number) => Number.isFinite(n) });
    const components = this.document["components"];
    const schemas = isObject(components) && isObject(components["schemas"]) ? components["schemas"] : {};
    const definitions = Object.fromEntries(Object.entries(schemas).map(([name, schema]) => [name, toJsonSchema(schema)]));
    this.ajv.addSchema({ $id: ROOT, definitions }, ROOT);
  }

  /** The operations of the document, as "GET /api/v1/search". */
  operations(): string[] {
    const paths = this.document["paths"];
    if (!isObject(paths)) return [];
    return Object.entries(paths).flatMap(([path, item]) =>
      isObject(item) ? Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`) : []);
  }

  /**
   * Problems with one response: its status must be documented for the operation with this content type, and its
   * body must match that response's schema. Returns readable lines, empty when the response matches.
   */
  check(operation: Operation, status: number, contentType: string | null, body: unknown): string[] {
    const mediaType = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
    const where = `${operation.method.toUpperCase()} ${operation.path} → ${status} ${mediaType || "(no content type)"}`;
    const paths = this.document["paths"];
    const item = isObject(paths) ? paths[operation.path] : undefined;
    const op = isObject(item) ? item[operation.method] : undefined;
    if (!isObject(op)) return [`${where}: the document has no such operation`];
    const responses = op["responses"];
    const response = isObject(responses) ? responses[String(status)] : undefined;
    if (!isObject(response)) return [`${where}: status ${status} is not documented for this operation`];
    const content = response["content"];
    const media = isObject(content) ? content[mediaType] : undefined;
    if (!isObject(media)) {
      const documented = isObject(content) ? Object.keys(content).join(", ") : "none";
      return [`${where}: content type not documented for this status (documented: ${documented})`];
    }
    if (media["schema"] === undefined) return [];
    const key = `${operation.method} ${operation.path} ${status} ${mediaType}`;
    let validate = this.compiled.get(key);
    if (validate === undefined) {
      validate = this.ajv.compile(toJsonSchema(media["schema"]) as object);
      this.compiled.set(key, validate);
    }
    if (validate(body)) return [];
    return (validate.errors ?? []).map((e) => `${where}: ${describe(e, body)}`);
  }
}

/** One Ajv error as a sentence naming the JSON location and the value found. */
function describe(error: ErrorObject, body: unknown): string {
  const at = error.instancePath === "" ? "(root)" : error.instancePath;
  const found = valueAt(body, error.instancePath);
  const shown = found === undefined ? "" : ` (found ${truncate(JSON.stringify(found))})`;
  switch (error.keyword) {
    case "required":
      return `${at}: required property '${String(error.params["missingProperty"])}' is missing`;
    case "additionalProperties":
      return `${at}: property '${String(error.params["additionalProperty"])}' is not declared in the document`;
    case "enum":
      return `${at}: ${truncate(JSON.stringify(found))} is not one of ${JSON.stringify(error.params["allowedValues"])}`;
    case "type":
      return `${at}: ${found === null ? "null is not declared (not nullable)" : `must be ${String(error.params["type"])}`}${shown}`;
    default:
      return `${at}: ${error.message ?? error.keyword}${shown} [schema ${error.schemaPath}]`;
  }
}

function valueAt(body: unknown, pointer: string): unknown {
  let value = body;
  for (const part of pointer.split("/").slice(1)) {
    const key = part.replaceAll("~1", "/").replaceAll("~0", "~");
    if (typeof value !== "object" || value === null) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

const truncate = (text: string | undefined): string =>
  text === undefined ? "undefined" : text.length > 120 ? `${text.slice(0, 117)}…` : text;
