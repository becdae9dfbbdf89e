// Answers with tens of thousands of rows (a 50,000-item plan, its confirmation) as JSON text.
// The response schema's serializer encodes every row through zod before JSON.stringify: for
// 50,000 rows that is 0.1–0.6 s and a second copy of them in memory. Instead the answer's other
// fields go through the schema (encoded and checked, as the serializer would: the caller encodes
// them with the schema less the arrays), and the large arrays, whose rows the code builds with
// exactly the schema's fields (their TypeScript types say so), are written after them with
// JSON.stringify alone, or given as JSON text already made.

import { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';

/** The large arrays of an answer, by field name: rows, or their JSON text. */
export type Arrays = Readonly<Record<string, string | readonly unknown[]>>;

/** Rows per chunk of a streamed array, and UTF-16 units per chunk of JSON text given whole. */
const ROWS_PER_CHUNK = 1_000;
const UNITS_PER_CHUNK = 256 * 1024;

/** Checked when the answer is made, before anything is sent (a stream's pieces are made later). */
function checkHead(head: string, caller: string) {
  if (!head.startsWith('{') || !head.endsWith('}')) throw new Error(`${caller}: the head is not a JSON object`);
}

/** `text` in pieces of about `size` units, never between the two halves of a surrogate pair. */
function* piecesOf(text: string, size: number): Generator<string> {
  for (let at = 0; at < text.length;) {
    let end = Math.min(at + size, text.length);
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end -= 1;
    yield text.slice(at, end);
    at = end;
  }
}

/** The text of `head` with `arrays` as its last fields, in pieces: whole values, or (`chunked`) a thousand rows or 256 K units at a time. */
function* jsonPieces(head: string, arrays: Arrays, chunked: boolean): Generator<string> {
  let separator = head === '{}' ? '' : ',';
  yield head.slice(0, -1);
  for (const [name, given] of Object.entries(arrays)) {
    yield `${separator}${JSON.stringify(name)}:`;
    separator = ',';
    if (typeof given === 'string') yield* chunked ? piecesOf(given, UNITS_PER_CHUNK) : [given];
    else if (!chunked) yield JSON.stringify(given);
    else {
      yield '[';
      for (let at = 0; at < given.length; at += ROWS_PER_CHUNK) yield `${at > 0 ? ',' : ''}${JSON.stringify(given.slice(at, at + ROWS_PER_CHUNK)).slice(1, -1)}`;
      yield ']';
    }
  }
  yield '}';
}

/** `head` (a JSON object's text) with `arrays` (rows, or their JSON text) as its last fields. */
export function withArrays(head: string, arrays: Arrays): string {
  checkHead(head, 'withArrays');
  let text = '';
  for (const piece of jsonPieces(head, arrays, false)) text += piece;
  return text;
}

/**
 * A per-reply serializer (`reply.serializer`) that writes an answer with `write`. Fastify runs a
 * reply's serializer on text too, and keeps it for everything sent after, the error handler's
 * problem+json included (already JSON text): text passes as it is, so an error raised after the
 * serializer is set, or by `write` itself, still reaches the client as problem+json.
 */
export const answerSerializer =
  <T>(write: (answer: T) => string) =>
  (payload: T | string): string =>
    typeof payload === 'string' ? payload : write(payload);

/**
 * withArrays's text as a stream, written piece by piece as the socket takes it: a reject-all's
 * answer (15–17 MB) never exists whole, as one string and then as the bytes written, beside the
 * rows it is made from. Rows are stringified a thousand at a time; JSON text given whole is sent
 * in slices of it. The status and headers go with the first piece: a row JSON.stringify cannot
 * write (a BigInt, a cycle: the code builds none) would cut the answer short rather than turn it
 * into a problem+json, so only rows built by the code, with plain values, belong here.
 */
export function withArraysStream(head: string, arrays: Arrays): Readable {
  checkHead(head, 'withArraysStream');
  return Readable.from(jsonPieces(head, arrays, true), { objectMode: false });
}

/**
 * Sends a streamed answer past the route's typed `send` (typed by its response schema, which
 * describes the JSON the stream writes).
 */
export const sendStream = (reply: FastifyReply, stream: Readable) => reply.send(stream);
