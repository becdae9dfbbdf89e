import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { errorHandlerPlugin, PROBLEM_CONTENT_TYPE } from '../plugins/error-handler.js';
import { text } from 'node:stream/consumers';
import { answerSerializer, withArrays, withArraysStream } from './large-json.js';

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

describe('withArraysStream', () => {
  const written = async (head: string, arrays: Parameters<typeof withArrays>[1]) => {
    const pieces: string[] = [];
    for await (const piece of withArraysStream(head, arrays)) pieces.push((piece as Buffer).toString('utf8'));
    return pieces;
  };

  it('writes withArrays’s text, in pieces', async () => {
    const rows = Array.from({ length: 2_500 }, (_, i) => ({ id: `r${i}`, tags: i % 7 === 0 ? [] : ['x', `"${i}"`], note: i === 3 ? undefined : 'é' }));
    const cases: [string, Parameters<typeof withArrays>[1]][] = [
      [head, { items: value.items, more: value.more }],
      [head, { items: JSON.stringify(value.items), more: '[1,2,3]' }],
      ['{}', { items: [], more: '[]' }],
      [head, { rows, empty: [], sparse: [1, undefined, null] }],
      ['{}', { rows: JSON.stringify(rows) }],
    ];
    for (const [h, arrays] of cases) expect(await text(withArraysStream(h, arrays))).toBe(withArrays(h, arrays));
    // 2,500 rows go out a thousand at a time, not as one string: head, name, '[', three pieces of rows, ']', '}'.
    const pieces = await written(head, { rows });
    expect(pieces.length).toBe(8);
    expect(Math.max(...pieces.map((piece) => piece.length))).toBeLessThan(JSON.stringify(rows).length / 2);
  });

  it('never cuts JSON text given whole between the halves of a surrogate pair', async () => {
    // Emoji (two UTF-16 units each) from an odd offset: some piece boundary falls inside one.
    const emoji = JSON.stringify([`x${'😀'.repeat(200_000)}`]);
    const pieces = await written('{}', { emoji });
    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces.join('')).toBe(withArrays('{}', { emoji }));
    expect(pieces.join('')).not.toContain('\uFFFD');
  });

  it('refuses a head that is not an object', () => {
    expect(() => withArraysStream('[]', { items: [] })).toThrow('not a JSON object');
  });
});

describe('answerSerializer', () => {
  async function app() {
    const instance = Fastify();
    await instance.register(errorHandlerPlugin);
    const write = (answer: { n: number }) => {
      if (answer.n < 0) throw new Error('cannot write a negative n');
      return `{"n":${answer.n},"written":true}`;
    };
    instance.get<{ Querystring: { n: string } }>('/answer', async (request, reply) =>
      reply
        .type('application/json; charset=utf-8')
        .serializer(answerSerializer(write))
        .send({ n: Number(request.query.n) }),
    );
    // A hook failing after the serializer ran (failAfter): the error handler's answer must pass too.
    instance.addHook('onSend', async (request, reply, payload) => {
      if (reply.getHeader('content-type')?.toString().startsWith('application/json') && (request.query as { failAfter?: string }).failAfter) {
        throw new Error('onSend failed');
      }
      return payload;
    });
    return instance;
  }

  it('writes the answer with the function given', async () => {
    const instance = await app();
    const answer = await instance.inject({ method: 'GET', url: '/answer?n=3' });
    expect([answer.statusCode, answer.headers['content-type'], answer.body]).toEqual([200, 'application/json; charset=utf-8', '{"n":3,"written":true}']);
    await instance.close();
  });

  it('lets the error handler’s problem+json through, when the writing fails and when a hook after it does', async () => {
    const instance = await app();
    for (const url of ['/answer?n=-1', '/answer?n=3&failAfter=1']) {
      const answer = await instance.inject({ method: 'GET', url });
      expect(answer.statusCode).toBe(500);
      expect(answer.headers['content-type']).toBe(PROBLEM_CONTENT_TYPE);
      expect(answer.json()).toMatchObject({ code: 'internal_error', status: 500 });
      expect(answer.body).not.toContain('negative');
    }
    await instance.close();
  });
});
