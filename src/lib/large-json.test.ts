import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { withArrays } from './large-json.js';

const schema = z.object({
  note: z.string(),
  items: z.array(z.object({ id: z.string(), tags: z.array(z.string()) })),
  at: z.date(),
  more: z.array(z.number()),
});
const value = {
  note: '"items":[] and "more":[]',
  items: [
    { id: 'a', tags: [] },
    { id: 'b"}', tags: ['x'] },
  ],
  at: new Date('2026-12-07T10:00:00Z'),
  more: [1, 2, 3],
};
const head = JSON.stringify(z.encode(schema.omit({ items: true, more: true }), value));

describe('withArrays', () => {
  it('writes the JSON the schema’s serializer writes, the arrays last, given as rows or as JSON text', () => {
    const serialized = JSON.parse(JSON.stringify(z.encode(schema, value)));
    for (const json of [withArrays(head, { items: value.items, more: value.more }), withArrays(head, { items: JSON.stringify(value.items), more: '[1,2,3]' })]) {
      expect(JSON.parse(json)).toEqual(serialized);
      expect(Object.keys(JSON.parse(json))).toEqual(['note', 'at', 'items', 'more']);
    }
    expect(JSON.parse(withArrays('{}', { items: [], more: '[]' }))).toEqual({ items: [], more: [] });
  });

  it('refuses a head that is not an object', () => {
    expect(() => withArrays('[]', { items: [] })).toThrow('not a JSON object');
  });
});
