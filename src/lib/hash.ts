import { createHash } from 'node:crypto';

export const sha256Hex = (input: string | Buffer): string => createHash('sha256').update(input).digest('hex');

/**
 * Writes `value` as JSON.stringify would, with object keys sorted at every depth, in pieces to
 * `out`. Walked by hand rather than through a replacer: a 50,000-item plan would otherwise copy
 * every object once to sort its keys.
 */
const hasToJson = (value: unknown): value is { toJSON: (key: string) => unknown } =>
  value !== null && typeof value === 'object' && 'toJSON' in value && typeof value.toJSON === 'function';
const resolved = (value: unknown, key: string): unknown => (hasToJson(value) ? value.toJSON(key) : value);
const omitted = (value: unknown) => value === undefined || typeof value === 'function' || typeof value === 'symbol';

/**
 * `"name":` for an object key. Field names repeat across every item of a big value: the short
 * ones are kept (ids used as keys, longer, are not, so the cache stays small).
 */
const memberPrefixes = new Map<string, string>();
function memberPrefix(name: string): string {
  const known = memberPrefixes.get(name);
  if (known !== undefined) return known;
  const prefix = `${JSON.stringify(name)}:`;
  if (name.length <= 24 && memberPrefixes.size < 4096) memberPrefixes.set(name, prefix);
  return prefix;
}

function writeCanonical(raw: unknown, key: string, out: (piece: string) => void): boolean {
  const value = resolved(raw, key);
  switch (typeof value) {
    case 'string':
      out(JSON.stringify(value));
      return true;
    case 'number':
      out(Number.isFinite(value) ? String(value) : 'null');
      return true;
    case 'boolean':
      out(value ? 'true' : 'false');
      return true;
    case 'undefined':
    case 'function':
    case 'symbol':
      return false;
    case 'bigint':
      throw new TypeError('Do not know how to serialize a BigInt');
  }
  if (value === null || value === undefined) {
    out('null');
    return true;
  }
  if (Array.isArray(value)) {
    out('[');
    for (let index = 0; index < value.length; index++) {
      // As forEach walked it: a hole writes nothing.
      if (!(index in value)) continue;
      if (index > 0) out(',');
      if (!writeCanonical(value[index], String(index), out)) out('null');
    }
    out(']');
    return true;
  }
  if (typeof value !== 'object') return false;
  // Sorted as Object.keys(...).sort() sorts: by UTF-16 code units (the default order of sort()).
  const names = Object.keys(value).sort();
  let first = true;
  for (const name of names) {
    const inner = resolved(Reflect.get(value, name), name);
    if (omitted(inner)) continue;
    out(first ? `{${memberPrefix(name)}` : `,${memberPrefix(name)}`);
    first = false;
    writeCanonical(inner, name, out);
  }
  out(first ? '{}' : '}');
  return true;
}

/** JSON with object keys sorted at every depth, so equal data always hashes the same. */
export function canonicalJson(value: unknown): string {
  const pieces: string[] = [];
  // Nothing to write (undefined, a function): what JSON.stringify answers.
  return writeCanonical(value, '', (piece) => pieces.push(piece)) ? pieces.join('') : JSON.stringify(value);
}

/** sha256Hex(canonicalJson(value)), without holding the whole text: a big plan's is tens of MB. */
export function canonicalDigest(value: unknown): string {
  const hash = createHash('sha256');
  let buffer = '';
  writeCanonical(value, '', (piece) => {
    buffer += piece;
    if (buffer.length >= 65_536) {
      hash.update(buffer);
      buffer = '';
    }
  });
  return hash.update(buffer).digest('hex');
}
