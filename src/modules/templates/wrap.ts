// The text part's 72-column wrapping as a Liquid filter: `{{ message | wrap: 72 }}`. It was
// Liquid code at the end of every shipped text template, and that loop of slices and splits
// was most of a message's render time. Same algorithm, counted in code points throughout. The
// Liquid code measured with `size` (UTF-16 units) but cut with `slice` (code points), so after an
// emoji it cut past the line it had written and dropped words of the candidate's feedback; and
// it stopped a paragraph after 500 lines. This never drops a character: wrap.test.ts checks that,
// and that on everything the Liquid code got right (no character outside the BMP, under 500
// lines) the output is the same to the character.

/** A lone or paired surrogate: where code points and UTF-16 units differ. */
const SURROGATE = /[\ud800-\udfff]/;

/** LiquidJS's `slice` on a string: `begin` and `length` in code points. */
function slice(text: string, begin: number, length: number): string {
  if (!SURROGATE.test(text)) return text.slice(begin, begin + length);
  const advance = (from: number, count: number) => {
    let index = from;
    for (let i = 0; i < count && index < text.length; i++) index += text.codePointAt(index)! > 0xffff ? 2 : 1;
    return index;
  };
  const start = advance(0, begin);
  return text.slice(start, advance(start, length));
}

/** LiquidJS's `split` (as Ruby's): trailing empty strings are dropped. */
function split(text: string, separator: string): string[] {
  const parts = text.split(separator);
  while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

/** Length in code points (what `slice` counts). */
const length = (text: string): number => (SURROGATE.test(text) ? [...text].length : text.length);

/**
 * Each line of `message` broken at spaces into lines of at most `width` code points, words never
 * split (a longer word or link stays whole on its own line); a list item ("- ") continues
 * indented by two spaces. Only whitespace changes: every other character stays, in order.
 */
export function wrapText(message: string, width = 72): string {
  if (!SURROGATE.test(message)) return wrapUnits(message, width);
  const out: string[] = [];
  for (const line of split(message, '\n')) {
    if (length(line) <= width) {
      out.push(line);
      continue;
    }
    const indent = slice(line, 0, 2) === '- ' ? '  ' : '';
    let rest = line;
    let limit = width;
    let wrapped = '';
    for (;;) {
      const left = length(rest);
      if (left <= limit) {
        wrapped += rest;
        break;
      }
      let head: string;
      if (slice(rest, limit, 1) === ' ') head = slice(rest, 0, limit);
      else {
        const words = split(slice(rest, 0, limit + 1), ' ');
        // A line always has a non-space character here, so the first word is never missing.
        head = words.length > 1 ? words.slice(0, -1).join(' ') : (split(rest, ' ')[0] ?? '');
      }
      const next = slice(rest, length(head), left).trimStart();
      wrapped += head.trimEnd();
      // Only a line that starts with spaces can make no progress, once: its spaces are trimmed.
      if (next === rest) {
        wrapped += rest;
        break;
      }
      rest = next;
      if (rest === '') break;
      wrapped += `\n${indent}`;
      limit = width - indent.length;
    }
    out.push(wrapped);
  }
  return out.join('\n');
}

/**
 * wrapText where code points and UTF-16 units are the same (no surrogates: nearly every
 * message): the same steps on positions in the line instead of slices and splits of what is
 * left of it, which made the filter a tenth of a message's render time.
 */
function wrapUnits(message: string, width: number): string {
  const lines = split(message, '\n');
  for (let l = 0; l < lines.length; l++) {
    const line = lines[l]!;
    if (line.length <= width) continue;
    const indent = line.startsWith('- ') ? '  ' : '';
    let rest = line;
    let limit = width;
    let wrapped = '';
    for (;;) {
      if (rest.length <= limit) {
        wrapped += rest;
        break;
      }
      let headLength: number;
      if (rest.charCodeAt(limit) === 0x20) headLength = limit;
      else {
        // The words of the first limit + 1 units but the last (trailing spaces dropped first),
        // or else the first word of the whole rest.
        let end = limit + 1;
        while (end > 0 && rest.charCodeAt(end - 1) === 0x20) end--;
        const lastSpace = rest.lastIndexOf(' ', end - 1);
        if (end > 0 && lastSpace >= 0) headLength = lastSpace;
        else {
          const space = rest.indexOf(' ');
          headLength = space < 0 ? rest.length : space;
        }
      }
      const next = rest.slice(headLength).trimStart();
      wrapped += rest.slice(0, headLength).trimEnd();
      if (next === rest) {
        wrapped += rest;
        break;
      }
      rest = next;
      if (rest === '') break;
      wrapped += `\n${indent}`;
      limit = width - indent.length;
    }
    lines[l] = wrapped;
  }
  return lines.join('\n');
}

/** The widest a `wrap` may be asked for: beyond it nothing a mail client shows would wrap. */
const MAX_WIDTH = 1000;

/** The `wrap` filter: `{{ text | wrap }}` (72 columns) or `{{ text | wrap: 60 }}`. */
export function wrapFilter(value: unknown, width: unknown = 72): string {
  if (typeof width !== 'number' || !Number.isInteger(width) || width < 1 || width > MAX_WIDTH) {
    throw new Error(`wrap: the width must be a whole number from 1 to ${MAX_WIDTH}`);
  }
  if (value === null || value === undefined) return '';
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') throw new Error('wrap: only text can be wrapped');
  return wrapText(String(value), width);
}

/**
 * The Liquid wrapping the shipped text templates ended with (and that templates copied from
 * them still do), from its first statement to its last: it wraps the captured `wrap_message`.
 */
export const LIQUID_WRAP_BLOCK = `{%- assign wrap_newline = "\\n" -%}
{%- assign wrap_lines = wrap_message | split: wrap_newline -%}
{%- for wrap_line in wrap_lines -%}
{%- if wrap_line.size <= 72 -%}{{ wrap_line }}
{%- else -%}
{%- assign wrap_indent = "" -%}
{%- assign wrap_start = wrap_line | slice: 0, 2 -%}
{%- if wrap_start == "- " -%}{%- assign wrap_indent = "  " -%}{%- endif -%}
{%- assign wrap_rest = wrap_line -%}
{%- assign wrap_limit = 72 -%}
{%- for wrap_step in (1..500) -%}
{%- if wrap_rest.size <= wrap_limit -%}{{ wrap_rest }}{%- break -%}{%- endif -%}
{%- assign wrap_after = wrap_rest | slice: wrap_limit, 1 -%}
{%- if wrap_after == " " -%}
{%- assign wrap_head = wrap_rest | slice: 0, wrap_limit -%}
{%- else -%}
{%- assign wrap_chunk = wrap_limit | plus: 1 -%}
{%- assign wrap_words = wrap_rest | slice: 0, wrap_chunk | split: " " -%}
{%- if wrap_words.size > 1 -%}{%- assign wrap_head = wrap_words | pop | join: " " -%}
{%- else -%}{%- assign wrap_head = wrap_rest | split: " " | first -%}
{%- endif -%}
{%- endif -%}
{%- assign wrap_rest = wrap_rest | slice: wrap_head.size, wrap_rest.size | lstrip -%}
{{ wrap_head | rstrip }}
{%- if wrap_rest == "" -%}{%- break -%}{%- endif -%}
{{ wrap_newline }}{{ wrap_indent }}
{%- assign wrap_limit = 72 | minus: wrap_indent.size -%}
{%- endfor -%}
{%- endif -%}
{%- unless forloop.last -%}{{ wrap_newline }}{%- endunless -%}
{%- endfor %}`;

/** What the block does, as the filter (the block trims the whitespace before it; so does this). */
const FILTER_CALL = '{{- wrap_message | wrap: 72 }}';

/**
 * A template's source as it is parsed: when it ends with the Liquid wrapping (a saved template
 * copied from a shipped one), that block is run as the filter, which gives the same output far
 * faster. Only at the very end (trailing whitespace aside): then nothing after it can read the
 * block's variables. The stored source is never changed.
 */
export function withWrapFilter(source: string): string {
  const at = source.lastIndexOf(LIQUID_WRAP_BLOCK);
  if (at < 0 || source.slice(at + LIQUID_WRAP_BLOCK.length).trim() !== '') return source;
  return source.slice(0, at) + FILTER_CALL + source.slice(at + LIQUID_WRAP_BLOCK.length);
}
