// Answers with tens of thousands of rows (a 50,000-item plan, its confirmation) as JSON text.
// The response schema's serializer encodes every row through zod before JSON.stringify: for
// 50,000 rows that is 0.1–0.6 s and a second copy of them in memory. Instead the answer's other
// fields go through the schema (encoded and checked, as the serializer would: the caller encodes
// them with the schema less the arrays), and the large arrays, whose rows the code builds with
// exactly the schema's fields (their TypeScript types say so), are written after them with
// JSON.stringify alone, or given as JSON text already made.

/** `head` (a JSON object's text) with `arrays` (rows, or their JSON text) as its last fields. */
export function withArrays(head: string, arrays: Readonly<Record<string, string | readonly unknown[]>>): string {
  if (!head.startsWith('{') || !head.endsWith('}')) throw new Error('withArrays: the head is not a JSON object');
  let tail = '';
  for (const [name, given] of Object.entries(arrays)) tail += `,${JSON.stringify(name)}:${typeof given === 'string' ? given : JSON.stringify(given)}`;
  return head === '{}' ? `{${tail.slice(1)}}` : `${head.slice(0, -1)}${tail}}`;
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
