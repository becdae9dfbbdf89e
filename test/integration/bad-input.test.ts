// Bad input, generated from the OpenAPI document: every operation gets malformed JSON, wrong
// content types, deep nesting, lone surrogates, NUL, out-of-range integers, very long strings,
// wrong types and unknown members, in its body, query string, path parameters and headers.
// Each answer must be a 4xx problem+json with a code from the catalogue, never a 5xx, and
// nothing may be written. Operations, parameters and bodies come from openapi/openapi.json, so
// a new route is covered without touching this file; the example bodies are valid where the
// document can say what valid is, so that each bad variant has one fault.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import pg from 'pg';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { problemCatalog, type ProblemCode } from '../../src/lib/errors.js';
import { organizationWebhookPassword } from '../../src/modules/delivery/postmark-webhooks.js';
import { MAX_JSON_DEPTH } from '../../src/plugins/input-rules.js';
import { eventually } from '../helpers/wait.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { setUpSending, startDelivery } from '../helpers/delivery.js';
import { bearer, createOrganization, type TestOrganization } from '../helpers/factories.js';
import {
  acceptedTypes,
  exampleOf,
  operationsOf,
  readOpenApi,
  replaceAt,
  resolver,
  type JsonSchema,
  type JsonType,
  type Operation,
  type Slot,
} from '../helpers/openapi-requests.js';
import { seededRandom } from '../helpers/random.js';
import { sendRejections } from '../helpers/sent-messages.js';
import { startPostmarkServer, type PostmarkFake } from '../postmark/server.js';

const document = readOpenApi(new URL('../../openapi/openapi.json', import.meta.url));
const resolve = resolver(document);
const operations = operationsOf(document);

const INT4 = { min: -(2 ** 31), max: 2 ** 31 - 1 };
/** Bad variants of one kind tried per operation (sampled, the same sample every run). */
const PER_KIND = 3;
/**
 * Tables an operation writes even when it refuses, by design: an ATS delivery that fails its
 * signature check is recorded, bounded, for the organization to inspect.
 */
const WRITES_ON_REFUSAL: Record<string, string[]> = { receiveAtsWebhook: ['inbound_deliveries'] };
/** Columns that change on a refused request by design: a key's last use (at most once a minute). */
const VOLATILE_COLUMNS = new Set(['last_used_at']);

let ctx: TestContext;
let fake: PostmarkFake;
let org: TestOrganization;
let callerKey: string;
let db: pg.Client;
let digestSql: string;
/** Values for path parameters no list shows, by parameter name or by the collection above them. */
const known: Record<string, string> = {};
/** Ids of existing records, for body fields that name one (by the record's kind). */
const pool: Record<string, string> = {};
const pathValues = new Map<string, Record<string, string>>();

// ----- the data the operations run against ---------------------------------------------------

beforeAll(async () => {
  fake = await startPostmarkServer();
  ctx = await createTestContext({
    POSTMARK_API_URL: fake.url,
    OUTBOX_POLL_MS: '50',
    WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
    RATE_LIMIT_PER_MINUTE: '1000000',
    PAGE_RATE_LIMIT_PER_MINUTE: '1000000',
  });
  org = await createOrganization(ctx.deps);
  // Created after the organization's first key, so that the key an operation on `/v1/api-keys/{id}` finds first is not this one.
  callerKey = await org.key(['admin']);
  const api = () => request(ctx.app.server);
  const post = async (path: string, body: object) => {
    const res = await api().post(path).set(bearer(callerKey)).send(body);
    if (res.status >= 300) throw new Error(`seeding: POST ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };

  await setUpSending(ctx, org);
  const delivery = await startDelivery(ctx);
  try {
    await post('/v1/webhook-endpoints', { url: 'http://127.0.0.1:9/hearback-hook', description: 'Nobody listens here' });
    // Drafts first: lists are oldest first, so `{id}` operations on messages find a draft to approve or edit.
    const requisition = await post('/v1/requisitions', { title: 'Platform Engineer', externalIds: [{ source: 'greenhouse', id: 'req-1' }] });
    const apps: string[] = [];
    for (const name of ['Hired Person', 'Ada Lovelace']) {
      const candidate = await post('/v1/candidates', { name, emails: [`${name.split(' ')[0]!.toLowerCase()}@example.test`] });
      apps.push((await post('/v1/applications', { candidate: { id: candidate.id }, requisition: { id: requisition.id } })).id);
    }
    const plan = await post(`/v1/requisitions/${requisition.id}/plans`, { chosen: [{ applicationId: apps[0] }], targets: { mode: 'all_others_active' } });
    await post(`/v1/plans/${plan.id}/confirm`, { digest: plan.digest, chosenApplicationIds: [apps[0]] });
    await ctx.deps.messages.renderPlan(plan.id);
    known['/v1/plans'] = plan.id;

    const sent = await sendRejections(ctx, org, fake, [{ name: 'Camille Petit', email: 'camille@example.test' }]);
    const { token } = sent['Camille Petit']!;
    known.token = token;
    const page = await api().get(`/f/${token}`);
    const csrf = /name="csrf" value="([^"]+)"/.exec(page.text)![1]!;
    await api().post(`/f/${token}/questions`).type('form').send({ csrf, question: 'What should I work on first?' });
    await api().post(`/f/${token}/data-requests`).type('form').send({ csrf, kind: 'export' });

    await post('/v1/suppressions', { email: 'gone@example.test' });
    const template = (await api().get('/v1/templates/status_update/en').set(bearer(callerKey))).body;
    await api().put('/v1/templates/status_update/en').set(bearer(callerKey)).send({ subject: template.subject, html: template.html, text: template.text, baseVersion: 0 });
    const connection = await post('/v1/ats-connections', { provider: 'generic', name: 'Our ATS' });
    known.connectionId = connection.connection.id;
    await api().post(`/webhooks/ats/${connection.connection.id}`).set('content-type', 'application/json').send('{"unsigned":true}');
    known.organizationId = org.id;
    // Every event reached its outgoing deliveries before the workers stop: nothing moves afterwards.
    await eventually(async () => (await api().get('/v1/webhook-deliveries').set(bearer(callerKey))).body.data.length > 0).toBe(true);
  } finally {
    await delivery.stop();
  }

  for (const kind of ['requisition', 'candidate', 'application', 'message']) {
    pool[kind] = (await api().get(`/v1/${kind}s`).set(bearer(callerKey))).body.data[0].id;
  }
  for (const op of operations) pathValues.set(op.id, await pathParameters(op));

  db = new pg.Client({ connectionString: ctx.database.url });
  await db.connect();
  digestSql = await buildDigestSql();
}, 120_000);

afterAll(async () => {
  await db?.end();
  await ctx?.close();
  await fake?.close();
});

/**
 * A value for each path parameter: the first item of the nearest list above it that has a field
 * of that name (`/v1/templates` for `{kind}` and `{locale}`), else a known value, else a
 * well-formed value that names nothing.
 */
async function pathParameters(op: Operation): Promise<Record<string, string>> {
  const values: Record<string, string> = {};
  const segments = op.path.split('/');
  for (let i = 0; i < segments.length; i++) {
    const name = /^\{(.+)\}$/.exec(segments[i]!)?.[1];
    if (!name) continue;
    let value: string | undefined = known[name];
    for (let end = i; value === undefined && end > 1; end--) {
      const listPath = segments.slice(0, end).join('/');
      if (known[listPath]) value = known[listPath];
      else if (operations.some((o) => o.method === 'GET' && o.path === listPath) && !/\{/.test(listPath)) {
        const body = (await request(ctx.app.server).get(listPath).set(bearer(callerKey))).body;
        const items = (Array.isArray(body) ? body : (body?.data ?? [])) as Array<Record<string, unknown>>;
        const found = items.find((item) => typeof item[name] === 'string');
        if (found) value = found[name] as string;
      }
    }
    const schema = resolve(op.parameters.find((p) => p.in === 'path' && p.name === name)?.schema ?? {});
    values[name] = value ?? (schema.format === 'uuid' ? randomUUID() : 'unknown');
  }
  return values;
}

/** One statement that fingerprints every row of every table (volatile columns left out). */
async function buildDigestSql(): Promise<string> {
  const { rows } = await db.query<{ table_name: string; columns: string[] }>(
    `SELECT table_name, array_agg(column_name::text ORDER BY ordinal_position) AS columns
       FROM information_schema.columns
      WHERE table_schema = 'public' AND table_name NOT LIKE '\\_prisma%'
      GROUP BY table_name ORDER BY table_name`,
  );
  const parts = rows.map(({ table_name: table, columns }) => {
    const row = `row(${columns
      .filter((c) => !VOLATILE_COLUMNS.has(c))
      .map((c) => pg.escapeIdentifier(c))
      .join(', ')})::text`;
    return `SELECT ${pg.escapeLiteral(table)} AS t, md5(coalesce(string_agg(${row}, '|' ORDER BY ${row}), '')) AS d FROM ${pg.escapeIdentifier(table)}`;
  });
  return `SELECT json_object_agg(t, d) AS digest FROM (${parts.join(' UNION ALL ')}) tables`;
}

const digest = async () => (await db.query<{ digest: Record<string, string> }>(digestSql)).rows[0]!.digest;

// ----- the bad requests ------------------------------------------------------------------------

interface BadRequest {
  label: string;
  /** Replaces the operation's path parameters. */
  params?: Record<string, string>;
  /** Raw query string (already encoded), without `?`. */
  query?: string;
  headers?: Record<string, string>;
  /** Raw body; sent as JSON unless `contentType` says otherwise. */
  body?: string;
  contentType?: string;
}

/** JSON with markers for what JSON.stringify cannot write (a number past double range). */
const RAW_NUMBER = '__raw_number_1e400__';
const json = (value: unknown) => JSON.stringify(value).replaceAll(`"${RAW_NUMBER}"`, '1e400');
const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

function authFor(op: Operation): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const scheme of op.security) {
    if (scheme === 'apiKey') Object.assign(headers, bearer(callerKey));
    else if (scheme === 'postmarkBasic') {
      const password = organizationWebhookPassword(ctx.config.POSTMARK_WEBHOOK_PASSWORD, org.id);
      headers.authorization = `Basic ${Buffer.from(`${ctx.config.POSTMARK_WEBHOOK_USER}:${password}`).toString('base64')}`;
    } else throw new Error(`${op.id}: this suite does not know how to authenticate with "${scheme}": teach it`);
  }
  return headers;
}

/** A value of a JSON type the schema does not accept, or undefined when it accepts anything. */
function wrongTypeFor(declared: JsonSchema): unknown {
  const accepted = acceptedTypes(declared, resolve);
  if (accepted === null) return undefined;
  const candidates: Array<[JsonType, unknown]> = [
    ['integer', 12345],
    ['string', 'a string'],
    ['boolean', true],
    ['object', { a: 1 }],
    ['array', [1]],
    ['null', null],
  ];
  return candidates.find(([type]) => !accepted.has(type) && !(type === 'integer' && accepted.has('number')))?.[1];
}

/** Bad variants of the example body, one fault each, by kind. */
function bodyMutations(slots: Slot[], example: unknown): Map<string, BadRequest[]> {
  const kinds = new Map<string, BadRequest[]>();
  const add = (kind: string, slot: Slot, replacement: unknown, what: string) => {
    const list = kinds.get(kind) ?? kinds.set(kind, []).get(kind)!;
    list.push({ label: `${kind} at body${slot.path.map((p) => `.${p}`).join('')} (${what})`, body: json(replaceAt(example, slot.path, replacement)) });
  };
  for (const slot of slots) {
    const { schema, value } = slot;
    const wrong = wrongTypeFor(slot.declared);
    if (wrong !== undefined) add('wrong type', slot, wrong, JSON.stringify(wrong));
    if (typeof value === 'string') {
      add('lone surrogate', slot, `${value}\ud800`, 'high');
      add('lone surrogate', slot, `\udc00${value}`, 'low');
      add('NUL', slot, `${value}\u0000`, 'U+0000');
      const max = schema.maxLength;
      add('very long string', slot, 'x'.repeat(max !== undefined ? max + 1 : 100_000), `${max !== undefined ? max + 1 : 100_000} characters`);
      if (schema.enum) add('not one of the values', slot, 'not-one-of-these', 'not-one-of-these');
    }
    if (typeof value === 'number') {
      if (schema.maximum !== undefined) add('out of range', slot, schema.maximum + 1, 'above the maximum');
      if (schema.minimum !== undefined) add('out of range', slot, schema.minimum - 1, 'below the minimum');
      // Integers go to int4 columns; other numbers (a provider's id) need only be finite.
      if (schema.type === 'integer') {
        add('out of range', slot, INT4.max + 1, 'past int4');
        add('out of range', slot, INT4.min - 1, 'below int4');
        add('out of range', slot, 1.5, 'not an integer');
      }
      add('out of range', slot, RAW_NUMBER, '1e400');
    }
    if (Array.isArray(value) && schema.maxItems !== undefined && schema.maxItems < 2_000 && value.length > 0) {
      add(
        'too many items',
        slot,
        Array.from({ length: schema.maxItems + 1 }, () => value[0]),
        `${schema.maxItems + 1} items`,
      );
    }
    const closed = schema.additionalProperties === false;
    if (value !== null && typeof value === 'object' && !Array.isArray(value) && closed) {
      add('unknown member', slot, { ...(value as object), unexpectedMember: 1 }, 'unexpectedMember');
    }
  }
  return kinds;
}

function sample<T>(items: T[], count: number, random: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy.slice(0, count);
}

const hashOf = (text: string) => [...text].reduce((hash, char) => (Math.imul(hash, 31) + char.charCodeAt(0)) | 0, 7);

function badRequestsFor(op: Operation): BadRequest[] {
  const random = seededRandom(hashOf(op.id));
  const cases: BadRequest[] = [];
  const takesBody = op.method !== 'GET' && op.method !== 'HEAD';
  let exampleBody: string | undefined;

  if (op.body) {
    const { value, slots } = exampleOf(op.body, resolve, { idFor: (path) => Object.entries(pool).find(([kind]) => new RegExp(kind, 'i').test(path))?.[1] }, hashOf(op.id));
    exampleBody = json(value);
    for (const [, list] of bodyMutations(slots, value)) cases.push(...sample(list, PER_KIND, random));
    for (const root of [[], 'a string', 42, true, null]) cases.push({ label: `the body is ${JSON.stringify(root)}`, body: JSON.stringify(root) });
    cases.push({ label: 'an empty JSON body', body: '' });
    cases.push({ label: 'a body past BODY_LIMIT_BYTES', body: json({ padding: 'x'.repeat(ctx.config.BODY_LIMIT_BYTES) }) });
    const root = resolve(op.body);
    if (root.additionalProperties === false) cases.push({ label: 'an unknown member beside the example', body: json({ ...(value as object), unexpectedMember: 'x' }) });
  } else if (takesBody) {
    cases.push({ label: 'members for an operation that takes no body', body: '{"unexpectedMember":1}' });
    for (const root of [[], 'a string', 42]) cases.push({ label: `a body ${JSON.stringify(root)} for an operation that takes none`, body: JSON.stringify(root) });
  }
  if (takesBody) {
    for (const text of ['{"a":', '{"a":1,}', "{'a':1}", '{"a":1}}', '\u00ff\u00fe']) cases.push({ label: `malformed JSON ${JSON.stringify(text)}`, body: text });
    cases.push({ label: `JSON nested ${MAX_JSON_DEPTH + 8} levels`, body: `{"a":${nested(MAX_JSON_DEPTH + 8)}}` });
    cases.push({ label: 'JSON nested 60,000 levels', body: `{"a":${nested(60_000)}}` });
    cases.push({ label: 'a __proto__ member', body: '{"__proto__":{"polluted":true}}' });
    cases.push({ label: 'a constructor.prototype member', body: '{"constructor":{"prototype":{"polluted":true}}}' });
    cases.push({ label: 'an escaped lone surrogate in a member name', body: '{"a\\ud800":1}' });
    for (const [contentType, body] of [
      ['text/plain', 'hello'],
      ['application/xml', '<a/>'],
      ['application/x-www-form-urlencoded', 'a=1'],
      ['multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--\r\n'],
    ] as const) {
      cases.push({ label: `content type ${contentType}`, body, contentType });
    }
  }

  const example = exampleBody !== undefined ? { body: exampleBody } : {};
  for (const param of op.parameters) {
    const schema = resolve(param.schema);
    if (param.in === 'path') {
      for (const [label, value] of [
        ['NUL', '%00'],
        ['a lone surrogate (bytes that are not UTF-8)', '%ED%A0%80'],
        ['2,000 characters', 'x'.repeat(2000)],
        ...(schema.format === 'uuid' ? [['not a uuid', 'not-a-uuid']] : []),
      ] as const) {
        cases.push({ label: `path {${param.name}}: ${label}`, params: { [param.name]: value }, ...example });
      }
    } else if (param.in === 'query') {
      const bad: Array<[string, string]> = [
        ['NUL', 'a%00b'],
        ['5,000 characters', 'x'.repeat(5000)],
      ];
      const types = acceptedTypes(schema, resolve);
      if (types?.has('integer') || types?.has('number')) bad.push(['not a number', 'abc'], ['past int4', String(INT4.max + 1)], ['negative', '-1'], ['not an integer', '1.5']);
      if (schema.enum) bad.push(['not one of the values', 'not-one-of-these']);
      if (schema.format === 'uuid') bad.push(['not a uuid', 'not-a-uuid']);
      if (schema.format === 'date-time') bad.push(['not a date-time', 'yesterday']);
      for (const [label, value] of bad) cases.push({ label: `query ${param.name}: ${label}`, query: `${param.name}=${value}`, ...example });
      cases.push({ label: `query ${param.name} given twice`, query: `${param.name}=a&${param.name}=b`, ...example });
    } else if (param.in === 'header') {
      for (const [label, value] of [
        ['300 characters', 'k'.repeat(300)],
        ['with spaces', 'not a key'],
        ['empty', ''],
      ] as const) {
        cases.push({ label: `header ${param.name}: ${label}`, headers: { [param.name]: value }, ...example });
      }
    }
  }
  cases.push({ label: 'an unknown query parameter', query: 'unexpectedParameter=1', ...example });
  return cases;
}

async function send(app: FastifyInstance, op: Operation, bad: BadRequest): Promise<LightMyRequestResponse> {
  const values = { ...pathValues.get(op.id), ...bad.params };
  // Values that are bad on purpose are already encoded; the others are encoded here.
  const path = op.path.replace(/\{([^}]+)\}/g, (_, name: string) => (bad.params?.[name] !== undefined ? bad.params[name]! : encodeURIComponent(values[name]!)));
  const headers: Record<string, string> = { ...authFor(op), ...bad.headers };
  if (bad.body !== undefined) headers['content-type'] = bad.contentType ?? 'application/json';
  return app.inject({ method: op.method as 'GET', url: bad.query ? `${path}?${bad.query}` : path, headers, ...(bad.body !== undefined ? { payload: bad.body } : {}) });
}

/** What is wrong with an answer to a bad request, or null when it is a proper refusal. */
function faultOf(res: LightMyRequestResponse): string | null {
  const type = String(res.headers['content-type'] ?? '');
  let body: { code?: string; type?: string; status?: number } = {};
  try {
    body = res.json();
  } catch {
    // Not JSON: reported below by its content type.
  }
  if (res.statusCode >= 500) return `${res.statusCode} ${body.code ?? type}`;
  if (res.statusCode < 400) return `${res.statusCode}: accepted`;
  if (!type.startsWith('application/problem+json')) return `${res.statusCode} as ${type || 'no content type'}`;
  const entry = problemCatalog[body.code as ProblemCode];
  if (!entry || entry.status !== res.statusCode || body.type !== `urn:hearback:problem:${body.code}`)
    return `${res.statusCode} with code ${body.code}: not a code of the catalogue`;
  return null;
}

// ----- the document ----------------------------------------------------------------------------

/** Every schema a request can carry, with where it is, for the checks on the document. */
function requestSchemas(): Array<{ where: string; schema: JsonSchema }> {
  const found: Array<{ where: string; schema: JsonSchema }> = [];
  const walk = (schema: JsonSchema, where: string, seen: Set<JsonSchema>) => {
    const s = resolve(schema);
    if (seen.has(s)) return;
    const inner = new Set(seen).add(s);
    found.push({ where, schema: s });
    for (const [key, property] of Object.entries(s.properties ?? {})) walk(property, `${where}.${key}`, inner);
    if (typeof s.additionalProperties === 'object') walk(s.additionalProperties, `${where}.*`, inner);
    if (s.items) walk(s.items, `${where}[]`, inner);
    for (const option of [...(s.anyOf ?? []), ...(s.oneOf ?? []), ...(s.allOf ?? [])]) walk(option, where, inner);
  };
  for (const op of operations) {
    if (op.body) walk(op.body, `${op.id} body`, new Set());
    for (const param of op.parameters) walk(param.schema, `${op.id} ${param.in} ${param.name}`, new Set());
  }
  return found;
}

describe('the OpenAPI document', () => {
  it('bounds every integer a request carries to a 32-bit column', () => {
    const unbounded = requestSchemas()
      .filter(({ schema }) => schema.type === 'integer')
      .filter(({ schema }) => !(schema.minimum !== undefined && schema.minimum >= INT4.min && schema.maximum !== undefined && schema.maximum <= INT4.max))
      .map(({ where, schema }) => `${where}: ${schema.minimum}..${schema.maximum}`);
    expect(unbounded).toEqual([]);
  });

  it('bounds every string a request carries (a length, a set of values or a format)', () => {
    const boundedPattern = (pattern: string) => !/[*+]|\{\d+,\}/.test(pattern.replace(/\\./g, ''));
    const unbounded = requestSchemas()
      .filter(({ schema }) => schema.type === 'string')
      .filter(
        ({ schema }) =>
          schema.maxLength === undefined &&
          !schema.enum &&
          !('const' in schema) &&
          !['uuid', 'date-time'].includes(schema.format ?? '') &&
          !(schema.pattern && boundedPattern(schema.pattern)),
      )
      .map(({ where }) => where);
    expect(unbounded).toEqual([]);
  });

  it('says of every request body whether unknown members are refused (additionalProperties: false) or kept ({})', () => {
    // A union (the generic ATS format, one branch per event type) says it in every branch.
    const says = (schema: JsonSchema): boolean => {
      const resolved = resolve(schema);
      const branches = (resolved.oneOf ?? resolved.anyOf) as JsonSchema[] | undefined;
      return resolved.additionalProperties !== undefined || (branches !== undefined && branches.every(says));
    };
    const silent = operations.filter((op) => op.body && !says(op.body)).map((op) => op.id);
    expect(silent).toEqual([]);
  });
});

// ----- every operation --------------------------------------------------------------------------

describe('every operation refuses bad input with a 4xx problem+json, and writes nothing', () => {
  it.each(operations.map((op) => [op.id, op] as const))('%s', async (_id, op) => {
    const cases = badRequestsFor(op);
    const before = await digest();
    const faults: string[] = [];
    // A few at a time: the database and Redis round trips overlap.
    for (let start = 0; start < cases.length; start += 4) {
      await Promise.all(
        cases.slice(start, start + 4).map(async (bad) => {
          const fault = faultOf(await send(ctx.app, op, bad));
          if (fault) faults.push(`${bad.label} → ${fault}`);
        }),
      );
    }
    const after = await digest();
    const allowed = new Set(WRITES_ON_REFUSAL[op.id] ?? []);
    const written = Object.keys(after).filter((table) => after[table] !== before[table] && !allowed.has(table));
    expect({ faults, written }).toEqual({ faults: [], written: [] });
    // Still the same caller afterwards: no bad request revoked or broke what the next operations need.
    expect((await request(ctx.app.server).get('/v1/organization').set(bearer(callerKey))).status).toBe(200);
  });
});
