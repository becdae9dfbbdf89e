// Requests generated from the OpenAPI document: every operation with its parameters and body
// schema, a plausible valid example of each body (from the schemas, formats and field names),
// and the places in it (slots) where a test can put something wrong.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';

export interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  propertyNames?: JsonSchema;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  examples?: unknown[];
}

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema: JsonSchema;
}

export interface Operation {
  id: string;
  method: string;
  /** As documented: `/v1/requisitions/{id}`. */
  path: string;
  parameters: Parameter[];
  /** The application/json request body, when the operation takes one. */
  body?: JsonSchema;
  /** The security schemes it needs (their names); empty when it needs none. */
  security: string[];
}

export interface OpenApiDocument {
  paths: Record<
    string,
    Record<string, { operationId: string; parameters?: Parameter[]; requestBody?: { content: Record<string, { schema: JsonSchema }> }; security?: Record<string, string[]>[] }>
  >;
  components: { schemas: Record<string, JsonSchema> };
}

export const readOpenApi = (url: URL): OpenApiDocument => JSON.parse(readFileSync(url, 'utf8')) as OpenApiDocument;

export function operationsOf(document: OpenApiDocument): Operation[] {
  return Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({
      id: op.operationId,
      method: method.toUpperCase(),
      path,
      parameters: op.parameters ?? [],
      body: op.requestBody?.content['application/json']?.schema,
      security: Object.keys(op.security?.[0] ?? {}),
    })),
  );
}

/** `$ref`s followed (one level at a time, as often as needed). */
export function resolver(document: OpenApiDocument) {
  return function resolve(schema: JsonSchema): JsonSchema {
    let current = schema;
    while (current.$ref) current = document.components.schemas[current.$ref.split('/').pop()!]!;
    return current;
  };
}

export type JsonType = 'string' | 'integer' | 'number' | 'boolean' | 'object' | 'array' | 'null';

/** Every JSON type a schema accepts (anyOf/oneOf/enum/const included); null means any. */
export function acceptedTypes(schema: JsonSchema, resolve: (s: JsonSchema) => JsonSchema): Set<JsonType> | null {
  const s = resolve(schema);
  const options = s.anyOf ?? s.oneOf;
  if (options) {
    const all = new Set<JsonType>();
    for (const option of options) {
      const types = acceptedTypes(option, resolve);
      if (types === null) return null;
      for (const type of types) all.add(type);
    }
    return all;
  }
  const values = s.enum ?? ('const' in s ? [s.const] : undefined);
  if (values) return new Set(values.map((v) => (v === null ? 'null' : Array.isArray(v) ? 'array' : (typeof v as JsonType))));
  if (s.type === undefined) return s.properties ? new Set(['object']) : null;
  const types = new Set((Array.isArray(s.type) ? s.type : [s.type]) as JsonType[]);
  if (types.has('number')) types.add('integer');
  return types;
}

/** A place in an example body: its path, the schema it was made from, and its value. */
export interface Slot {
  path: Array<string | number>;
  /** The declared schema (anyOf and all), for "what types would it accept". */
  declared: JsonSchema;
  /** The branch the example took. */
  schema: JsonSchema;
  value: unknown;
}

export interface ExampleHints {
  /** An existing id for a field, by its path (`candidate.id`, `chosenApplicationIds`), when one is known. */
  idFor(path: string): string | undefined;
}

const DATE_TIME = () => new Date(Date.now() + 86_400_000).toISOString();
/** Strings a field's name asks for, when its schema alone cannot say (refinements are not in the document). */
const BY_NAME: Array<[RegExp, () => string]> = [
  [/email/i, () => 'sample.person@example.test'],
  [/url$/i, () => 'https://example.com/hearback-hook'],
  [/timezone/i, () => 'Europe/Paris'],
  [/^phone$/i, () => '+33612345678'],
  [/phoneCountry/i, () => 'FR'],
  [/locale/i, () => 'en'],
  [/kind/i, () => 'rejection_after_interview'],
];

function stringExample(s: JsonSchema, name: string, path: string, hints: ExampleHints, seed: number): string {
  if (s.format === 'uuid') return hints.idFor(path) ?? randomUUID();
  if (s.format === 'date-time') return DATE_TIME();
  const fits = (value: string) => value.length >= (s.minLength ?? 0) && value.length <= (s.maxLength ?? Infinity) && (!s.pattern || new RegExp(s.pattern, 'u').test(value));
  for (const [pattern, make] of BY_NAME) {
    if (pattern.test(name) && fits(make())) return make();
  }
  if (s.pattern) {
    const sampled = fc.sample(fc.stringMatching(new RegExp(s.pattern)), { seed, numRuns: 50 }).find((value) => fits(value) && !/[\p{Cs}\u0000-\u001f]/u.test(value));
    if (sampled !== undefined) return sampled;
  }
  const text = 'Sample text for a field'.padEnd(s.minLength ?? 0, 'x');
  return text.slice(0, s.maxLength ?? text.length);
}

/**
 * A plausible valid value for `schema`, with every optional member filled in (so that each can
 * be made wrong), and the slots it is made of, root first.
 */
export function exampleOf(schema: JsonSchema, resolve: (s: JsonSchema) => JsonSchema, hints: ExampleHints, seed = 1): { value: unknown; slots: Slot[] } {
  const slots: Slot[] = [];
  function make(declared: JsonSchema, path: Array<string | number>, name: string): unknown {
    let s = resolve(declared);
    const options = s.anyOf ?? s.oneOf;
    // The first branch that is not null: a value to make wrong.
    if (options) s = resolve(options.find((o) => resolve(o).type !== 'null') ?? options[0]!);
    if (s.allOf) s = resolve(s.allOf[0]!);
    const slot: Slot = { path, declared, schema: s, value: undefined };
    slots.push(slot);
    const dotted = path.join('.');
    let value: unknown;
    if ('const' in s) value = s.const;
    else if (s.examples?.length) value = s.examples[0];
    else if (s.enum) value = s.enum.find((v) => v !== null) ?? null;
    else {
      const type = (Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type) ?? (s.properties ? 'object' : 'string');
      switch (type) {
        case 'object': {
          const object: Record<string, unknown> = {};
          for (const [key, property] of Object.entries(s.properties ?? {})) object[key] = make(property, [...path, key], key);
          // A map keyed by ids (feedback per application): one entry, so its values are tried too.
          if (typeof s.additionalProperties === 'object' && Object.keys(s.additionalProperties).length > 0 && s.propertyNames) {
            const key = String(make(s.propertyNames, [...path, '(key)'], name));
            slots.pop();
            object[key] = make(s.additionalProperties, [...path, key], name);
          }
          value = object;
          break;
        }
        case 'array':
          value = Array.from({ length: Math.max(s.minItems ?? 1, 1) }, (_, index) => make(s.items ?? {}, [...path, index], name));
          break;
        case 'integer':
        case 'number':
          value = Math.min(Math.max(s.minimum ?? 1, 1), s.maximum ?? Infinity);
          break;
        case 'boolean':
          value = true;
          break;
        case 'null':
          value = null;
          break;
        default:
          value = stringExample(s, name, dotted, hints, seed + slots.length);
      }
    }
    slot.value = value;
    return value;
  }
  const value = make(schema, [], '');
  return { value, slots };
}

/** A deep copy of `value` with the member at `path` replaced. */
export function replaceAt(value: unknown, path: Array<string | number>, replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let parent = copy;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  parent[path.at(-1)!] = replacement;
  return copy;
}
