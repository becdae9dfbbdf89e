// Property-based: whatever JSON arrives, every mapper either returns an event that satisfies
// inboundEventSchema or throws InboundPayloadError — never a TypeError or a ZodError — and the
// dedupe keys are total and stable. Three generators: arbitrary JSON; each provider's envelope
// around JSON built from the providers' field names (mostly refused or ignored: it tests the
// first checks); and documented fixtures with a few values replaced or removed (about 70% still
// map to an event, so every branch sees broken data).
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ashbyEventType, mapAshby } from './ashby.js';
import { inboundEventSchema } from './events.js';
import { genericEventType, mapGeneric } from './generic.js';
import { greenhouseEventType, mapGreenhouse } from './greenhouse.js';
import { leverEventType, mapLever } from './lever.js';
import { InboundPayloadError } from './read.js';

const RUNS = { numRuns: 300 };

const FIXTURES = new URL('../../../../test/fixtures/ats/', import.meta.url);
const providers = ['greenhouse', 'lever', 'ashby'] as const;
type Provider = (typeof providers)[number] | 'generic';
const fixtures = providers.flatMap((provider) =>
  readdirSync(new URL(`${provider}/`, FIXTURES))
    .filter((name) => name.endsWith('.json'))
    .map((name) => ({ provider, name, body: JSON.parse(readFileSync(new URL(`${provider}/${name}`, FIXTURES), 'utf8')) as unknown })),
);

const leverContext = {
  archiveReasons: new Map([
    ['ddc474e6-67bd-480e-9513-4a9720fa9599', { type: 'hired' as const }],
    ['reason', { type: 'non-hired' as const, text: 'Not a fit' }],
  ]),
  stages: new Map([['stage', 'Onsite']]),
};

const mappers: Record<Provider, ((payload: unknown) => unknown)[]> = {
  greenhouse: [mapGreenhouse],
  lever: [(payload) => mapLever(payload), (payload) => mapLever(payload, leverContext)],
  ashby: [(payload) => mapAshby(payload), (payload) => mapAshby(payload, { wasArchived: true })],
  generic: [mapGeneric],
};
const allMappers = Object.values(mappers).flat();
const typeFunctions = [greenhouseEventType, leverEventType, ashbyEventType, genericEventType];

/** Maps, and checks the outcome: a valid event, or an InboundPayloadError naming a path. */
function mapsOrRefuses(map: (payload: unknown) => unknown, payload: unknown): void {
  let event: unknown;
  try {
    event = map(payload);
  } catch (error) {
    if (!(error instanceof InboundPayloadError)) throw error;
    expect(error.path).not.toBe('');
    return;
  }
  inboundEventSchema.parse(event);
}

// ----- generators ---------------------------------------------------------------------------

const collectKeys = (value: unknown, into: Set<string>): Set<string> => {
  if (Array.isArray(value)) for (const item of value) collectKeys(item, into);
  else if (typeof value === 'object' && value !== null) {
    for (const [key, inner] of Object.entries(value)) collectKeys(inner, into.add(key));
  }
  return into;
};
const fieldNames = [
  ...collectKeys(
    fixtures.map((fixture) => fixture.body),
    new Set(['externalId', 'winner', 'loser', 'emails', 'phones', 'mergedCandidate', 'deletedCandidate', 'job', '__proto__', 'constructor']),
  ),
];

/** JSON whose objects use the providers' field names, so the mappers get past their first checks. */
const { shaped } = fc.letrec<{ shaped: unknown }>((tie) => ({
  shaped: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.jsonValue({ maxDepth: 1 }),
    fc.constantFrom(1, 0, -1, 1.5, '', ' ', 'x', '2015-02-11T15:50:41Z', 1431458021951, 'Archived', 'Active', 'Hired', 'Accepted', 'reason', 'stage'),
    fc.dictionary(fc.constantFrom(...fieldNames), tie('shaped'), { maxKeys: 6 }),
    fc.array(tie('shaped'), { maxLength: 3 }),
  ),
}));

const eventNames = [
  ...new Set(
    fixtures.flatMap(({ body }) => {
      const { action, event } = body as { action?: string; event?: string };
      return [action, event].filter((name): name is string => typeof name === 'string');
    }),
  ),
  'ping',
  'candidateMerge',
  'candidateHired',
  'application.hired',
  'application.rejected',
  'application.stage_changed',
  'candidate.merged',
];

const envelopes = fc.oneof(
  fc.record({ action: fc.constantFrom(...eventNames), payload: shaped }),
  fc.record({ event: fc.constantFrom(...eventNames), triggeredAt: shaped, data: shaped, token: shaped }),
  fc.record({ action: fc.constantFrom(...eventNames), data: shaped }),
  fc.record({ type: fc.constantFrom(...eventNames), id: shaped, occurredAt: shaped, data: shaped }, { requiredKeys: ['type', 'data'] }),
);

/** Every path to a value inside a JSON document. */
const pathsOf = (value: unknown, at: (string | number)[] = []): (string | number)[][] => {
  const children = Array.isArray(value)
    ? value.map((item, index) => pathsOf(item, [...at, index]))
    : typeof value === 'object' && value !== null
      ? Object.entries(value).map(([key, inner]) => pathsOf(inner, [...at, key]))
      : [];
  return [at, ...children.flat()];
};

/** A copy of the document with the value at `path` replaced, or removed when `value` is undefined. */
const replaced = (document: unknown, path: (string | number)[], value: unknown): unknown => {
  if (path.length === 0) return value;
  const copy = structuredClone(document) as Record<string | number, unknown>;
  let parent = copy;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const last = path.at(-1)!;
  if (value === undefined && !Array.isArray(parent)) delete parent[last];
  else parent[last] = value;
  return copy;
};

/** A documented fixture with one to four values replaced or removed: reaches every mapping branch. */
const mutatedFixtures = fc
  .constantFrom(...fixtures)
  .chain((fixture) =>
    fc.record({
      fixture: fc.constant(fixture),
      changes: fc.array(fc.tuple(fc.constantFrom(...pathsOf(fixture.body)), fc.oneof(shaped, fc.constant(undefined), fc.constant(null))), {
        minLength: 1,
        maxLength: 4,
      }),
    }),
  )
  .map(({ fixture, changes }) => ({
    provider: fixture.provider,
    // A later change may land inside a value an earlier one removed: then it has nothing to replace.
    body: changes.reduce<unknown>((body, [path, value]) => {
      try {
        return replaced(body, path, value);
      } catch {
        return body;
      }
    }, fixture.body),
  }));

// ----- properties ---------------------------------------------------------------------------

describe('inbound mappers: never anything but InboundPayloadError', () => {
  it('on arbitrary JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (payload) => {
        for (const map of allMappers) mapsOrRefuses(map, payload);
      }),
      RUNS,
    );
  });

  it('on each provider’s envelope around provider-shaped JSON', () => {
    fc.assert(
      fc.property(envelopes, (payload) => {
        for (const map of allMappers) mapsOrRefuses(map, payload);
      }),
      RUNS,
    );
  });

  it('on documented fixtures with a few values replaced or removed', () => {
    fc.assert(
      fc.property(mutatedFixtures, ({ provider, body }) => {
        for (const map of mappers[provider]) mapsOrRefuses(map, body);
      }),
      RUNS,
    );
  });

  it('on values that are not JSON objects at all', () => {
    for (const payload of [undefined, null, 0, 'text', [], [{}], Object.create(null) as unknown, new Date(0)]) {
      for (const map of allMappers) mapsOrRefuses(map, payload);
    }
  });
});

describe('inbound event types', () => {
  it('are total on arbitrary JSON', () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), envelopes), (payload) => {
        for (const eventType of typeFunctions) expect(eventType(payload)).toMatch(/^[\x21-\x7e]{1,100}$/);
      }),
      RUNS,
    );
  });
});
