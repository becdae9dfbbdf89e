// What parsed input (a JSON body, a form, a query string, path parameters) may hold before any
// code looks at it: text that is text, nested no deeper than a limit.
//  - A lone UTF-16 surrogate (JSON's "\ud800" escape decodes to one) is not text: Postgres
//    refuses it in JSON, and Node silently turns it into U+FFFD when it writes text, so the
//    client's value would change without anybody saying so.
//  - U+0000 cannot be stored in a Postgres text or jsonb value.
//  - Very deep JSON parses fine, then overflows the stack of whatever walks it recursively.
// The walk is iterative for that last reason.
import type { FieldError } from './errors.js';

export interface InputFault extends FieldError {
  kind: 'lone_surrogate' | 'nul' | 'too_deep';
}

// With the u flag a well-formed pair is one code point, so \p{Cs} matches lone surrogates only.
const UNSTORABLE = /[\p{Cs}\u0000]/u;

function textFault(text: string): Pick<InputFault, 'kind' | 'message'> | null {
  const found = UNSTORABLE.exec(text);
  if (!found) return null;
  if (found[0] === '\u0000') return { kind: 'nul', message: 'contains U+0000 (NUL), which cannot be stored' };
  return { kind: 'lone_surrogate', message: `contains a lone surrogate (\\u${found[0].charCodeAt(0).toString(16)}), which is not text` };
}

/**
 * The first fault in `value` (keys and values, at any depth), with its path as validation errors
 * name fields (`body.items.0.name`), or null. `maxDepth` counts containers: `{"a":[1]}` is 2.
 */
export function findInputFault(value: unknown, root: string, maxDepth: number): InputFault | null {
  const stack: Array<[unknown, string, number]> = [[value, root, 0]];
  while (stack.length > 0) {
    const [current, path, depth] = stack.pop()!;
    if (typeof current === 'string') {
      const fault = textFault(current);
      if (fault) return { path, ...fault };
      continue;
    }
    if (current === null || typeof current !== 'object' || Buffer.isBuffer(current)) continue;
    if (depth + 1 > maxDepth) return { path, kind: 'too_deep', message: `is nested more than ${maxDepth} levels deep` };
    if (Array.isArray(current)) {
      for (let index = current.length - 1; index >= 0; index--) stack.push([current[index], `${path}.${index}`, depth + 1]);
      continue;
    }
    const entries = Object.entries(current);
    for (let index = entries.length - 1; index >= 0; index--) {
      const [key, inner] = entries[index]!;
      const fault = textFault(key);
      if (fault) return { path: `${path}.${key}`, ...fault, message: `has a name that ${fault.message}` };
      stack.push([inner, `${path}.${key}`, depth + 1]);
    }
  }
  return null;
}
