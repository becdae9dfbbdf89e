import { describe, expect, it } from 'vitest';
import { canonicalDigest, canonicalJson, sha256Hex } from './hash.js';

describe('canonicalJson', () => {
  it('writes JSON with keys sorted by UTF-16 code units at every depth', () => {
    const value = { b: 1, a: { d: [{ z: 1, y: 2 }], c: 'x' }, Z: true, é: null, '10': 1, '9': 2, _: 'u\u2028"' };
    expect(canonicalJson(value)).toBe('{"10":1,"9":2,"Z":true,"_":"u\u2028\\"","a":{"c":"x","d":[{"y":2,"z":1}]},"b":1,"é":null}');
  });

  it('answers what JSON.stringify answers for what JSON cannot hold', () => {
    const value = {
      u: undefined,
      f: () => 1,
      n: Number.NaN,
      i: Number.POSITIVE_INFINITY,
      list: [undefined, () => 1, 1],
      at: new Date(0),
      nested: { toJSON: (key: string) => `key:${key}` },
    };
    expect(canonicalJson(value)).toBe('{"at":"1970-01-01T00:00:00.000Z","i":null,"list":[null,null,1],"n":null,"nested":"key:nested"}');
    expect(canonicalJson({})).toBe('{}');
    expect(canonicalJson({ only: undefined })).toBe('{}');
    expect(canonicalJson([])).toBe('[]');
    expect(canonicalJson(undefined)).toBe(JSON.stringify(undefined));
    expect(JSON.parse(canonicalJson(value))).toEqual(JSON.parse(JSON.stringify(value)));
  });

  it('digests the canonical text, also when it is longer than one 64 KB run', () => {
    const items = Array.from({ length: 3_000 }, (_, i) => ({ id: `item-${i}`, checks: [{ severity: 'warn', evidence: [{ field: 'f', value: `v${i}` }] }], name: `Name ${i}` }));
    const value = { requisition: { status: 'open', id: 'r' }, evaluation: { items, checks: [] } };
    expect(canonicalJson(value).length).toBeGreaterThan(65_536);
    expect(canonicalDigest(value)).toBe(sha256Hex(canonicalJson(value)));
    // The same data with its keys in another order.
    const reordered = { evaluation: { checks: [], items: items.map(({ name, checks, id }) => ({ name, checks, id })) }, requisition: { id: 'r', status: 'open' } };
    expect(canonicalDigest(reordered)).toBe(canonicalDigest(value));
  });
});
