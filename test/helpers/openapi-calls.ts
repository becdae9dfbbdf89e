// Calls built from the OpenAPI document alone: every operation, its path filled with another
// organization's values, its query with the ids it filters on, a body its schema accepts. A new
// route is covered the day it is added; one whose values cannot be found fails, loudly.
import { generateSync } from 'json-schema-faker';
import type { FastifyInstance } from 'fastify';
import request from 'supertest';
import type { Fixtures } from './tenant.js';

type Schema = Record<string, unknown>;
interface Parameter {
  in: 'path' | 'query' | 'header';
  name: string;
  required?: boolean;
  schema?: Schema;
}
interface OperationObject {
  operationId: string;
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  security?: Record<string, string[]>[];
}
export interface OpenApiDocument {
  paths: Record<string, Record<string, OperationObject>>;
  components: Record<string, unknown>;
}

export interface Operation {
  method: string;
  path: string;
  id: string;
  /** The API key scope it needs, from its `security` requirement; null when no API key is asked for. */
  scope: string | null;
  /** The security schemes it names ([] for none). */
  schemes: string[];
  pathParameters: Parameter[];
  queryParameters: Parameter[];
  body: Schema | null;
}

export function operationsOf(document: OpenApiDocument): Operation[] {
  return Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => {
      const schemes = (op.security ?? []).flatMap((requirement) => Object.keys(requirement));
      const scopes = (op.security ?? []).flatMap((requirement) => requirement.apiKey ?? []);
      const parameters = op.parameters ?? [];
      return {
        method,
        path,
        id: op.operationId,
        scope: schemes.includes('apiKey') ? (scopes[0] ?? '') : null,
        schemes,
        pathParameters: parameters.filter((p) => p.in === 'path'),
        queryParameters: parameters.filter((p) => p.in === 'query'),
        body: op.requestBody?.content?.['application/json']?.schema ?? null,
      };
    }),
  );
}

export const label = (op: Operation) => `${op.method.toUpperCase()} ${op.path} (${op.id})`;

/** `/v1/webhook-endpoints/{id}/attempts` → `webhook-endpoints`: whose id the path takes. */
const collectionOf = (path: string, parameter: string) => {
  const segments = path.split('/');
  const at = segments.indexOf(`{${parameter}}`);
  return segments
    .slice(0, at)
    .filter((s) => !s.startsWith('{'))
    .at(-1)!;
};

export const isUuid = (parameter: Parameter) => parameter.schema?.format === 'uuid';

/** The path with the tenant's values; throws when the fixtures have none for a parameter. */
export function pathFor(op: Operation, fixtures: Fixtures, byName: Record<string, string>): string {
  return op.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = fixtures[collectionOf(op.path, name)]?.[name] ?? (name === 'id' ? undefined : byName[name]);
    if (value === undefined) {
      throw new Error(`${label(op)}: no value of the other organization for {${name}}; add its ${collectionOf(op.path, name)} to the fixtures (test/helpers/tenant.ts)`);
    }
    return encodeURIComponent(value);
  });
}

/** Every query parameter the tenant has a value for (ids it filters on, an email, a phone). */
export function queryFor(op: Operation, byName: Record<string, string>): Record<string, string> {
  const query: Record<string, string> = {};
  for (const parameter of op.queryParameters) {
    const value = byName[parameter.name];
    if (value !== undefined) query[parameter.name] = value;
    else if (parameter.required) query[parameter.name] = String(generateSync(parameter.schema ?? { type: 'string' }, { seed: 7 }));
    else if (isUuid(parameter)) throw new Error(`${label(op)}: no value of the other organization for ?${parameter.name}= (test/helpers/tenant.ts)`);
  }
  return query;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids in a body put to the tenant's: `candidateId`, `applicationIds: [...]`, `candidate: { id }`. */
function pointAt(value: unknown, byName: Record<string, string>, key = ''): unknown {
  const named = (k: string) => byName[k] ?? byName[k.replace(/Ids$/, 'Id')];
  if (typeof value === 'string' && UUID.test(value)) return named(key) ?? value;
  if (Array.isArray(value)) return value.map((item) => pointAt(item, byName, key));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, pointAt(v, byName, k === 'id' ? `${key}Id` : k)]));
  }
  return value;
}

/**
 * Bodies the schema accepts, their ids pointing at the tenant's: the required fields only, then
 * every field (for the rules a JSON Schema cannot say, like "change the subject, the feedback,
 * or both"). Short arrays: one item where the schema allows it.
 */
export function bodiesFor(op: Operation, document: OpenApiDocument, byName: Record<string, string>): unknown[] {
  if (!op.body) return [undefined];
  const schema = { ...op.body, components: document.components };
  const options = { seed: 1, useDefaultValue: true, maxItems: 1 };
  return [generateSync(schema, { ...options, optionalsProbability: 0 }), generateSync(schema, { ...options, alwaysFakeOptionals: true })].map((body) => pointAt(body, byName));
}

export interface Call {
  path: string;
  query?: Record<string, string>;
  body?: unknown;
  headers?: Record<string, string>;
}

export async function send(app: FastifyInstance, op: Operation, { path, query, body, headers = {} }: Call) {
  const method = op.method as 'get' | 'post' | 'put' | 'patch' | 'delete';
  let call = request(app.server)[method](path).set(headers);
  if (query) call = call.query(query);
  return body === undefined ? call : call.send(body as object);
}

/**
 * Sends the call with each body in turn until one passes validation (the first does when the
 * operation takes none): what the operation does with a valid request is what is tested.
 */
export async function sendValid(app: FastifyInstance, op: Operation, call: Omit<Call, 'body'>, bodies: unknown[]) {
  let res!: Awaited<ReturnType<typeof send>>;
  let body: unknown;
  for (body of bodies) {
    res = await send(app, op, { ...call, body });
    if (!(res.status === 400 && res.body?.code === 'validation_failed')) break;
  }
  return { res, sent: JSON.stringify({ ...call, body }) };
}

/** An answer in a line: its status, code and what it says was wrong. */
export const summary = (res: { status: number; body?: { code?: string; detail?: string; errors?: unknown }; text: string }) =>
  res.body?.code ? `${res.status} ${res.body.code}: ${JSON.stringify(res.body.errors ?? res.body.detail)}` : `${res.status} ${res.text.slice(0, 200)}`;
