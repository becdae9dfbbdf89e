// How the term lists (terms.<lang>.ts) are written and compiled. A term is a small pattern over
// FOLDED text (see fold.ts: lower case, no accents, ß → ss, œ → oe, ’ → '), so lists are written
// without accents and match every spelling. The pattern language is JavaScript regex plus five
// shorthands, chosen so that lists need no backslashes and stay readable:
//
//   ' ' (space)  one or more spaces or hyphens       "young and dynamic", "young-and-dynamic"
//   '~'          optional space or hyphen             "over~qualified" → "overqualified", "over-qualified"
//   '*'          the rest of the word, hyphenated     "schwanger*" → "Schwangerschaftsvertretung"
//                continuations included               "pregnan*" → "pregnancy-related"
//   '@'          exactly one word                     "native @ speaker" → "native French speaker"
//   '#'          a number of 1–3 digits               "aged #"
//
// ('*' is therefore never a regex quantifier here: write {0,} if one is ever needed. And no term
// starts with '@': a leading wildcard is tried at every position of every text.)
//
// Every term is anchored on word boundaries. A hyphen joins words: "black" never matches inside
// "black-box", "native" never inside "cloud-native", "single" never inside "single-handedly"; a
// term that must see through a hyphen spells it out ("non~white").
import type { FindingCode, LintLanguage, Severity } from './lint.schemas.js';

export interface TermGroup {
  code: FindingCode;
  severity: Severity;
  patterns: readonly string[];
}

export interface TermList {
  language: LintLanguage;
  groups: readonly TermGroup[];
}

// The folded text is ASCII (fold.ts), with '_' standing for any letter of another script.
const WORD_CHAR = '[a-z0-9_]';
const SEPARATOR = '[\\s-]+';
const OPTIONAL_SEPARATOR = '[\\s-]*';
const REST_OF_WORD = `${WORD_CHAR}*(?:-${WORD_CHAR}+)*`;
const ONE_WORD = `${WORD_CHAR}+(?:'${WORD_CHAR}+)?`;
const NUMBER = '[0-9]{1,3}';
// A match must not continue into a word, nor into the second half of a hyphenated one. The
// same rule on the left is checked by `startsWord` rather than by a lookbehind, which would be
// tried at every position of every text and doubled the lint's time.
const AFTER = `(?!${WORD_CHAR}|-${WORD_CHAR})`;

const isWordChar = (code: number) => (code >= 0x61 && code <= 0x7a) || (code >= 0x30 && code <= 0x39) || code === 0x5f;

/** Whether a term may start at `index` of folded text: not inside a word, not right after "word-". */
export function startsWord(folded: string, index: number): boolean {
  if (index === 0) return true;
  const before = folded.charCodeAt(index - 1);
  if (isWordChar(before)) return false;
  return before !== 0x2d || index < 2 || !isWordChar(folded.charCodeAt(index - 2));
}

/** Expands the shorthands of one term into regex source (no anchors). */
export function expandPattern(pattern: string): string {
  if (/ [?*+{]/.test(pattern)) {
    // "a ?b" would make the separator lazy, not optional: the list author meant "a~b".
    throw new Error(`term pattern "${pattern}": use '~' for an optional separator`);
  }
  let source = '';
  for (const char of pattern) {
    if (char === ' ') source += SEPARATOR;
    else if (char === '~') source += OPTIONAL_SEPARATOR;
    else if (char === '*') source += REST_OF_WORD;
    else if (char === '@') source += ONE_WORD;
    else if (char === '#') source += NUMBER;
    else source += char;
  }
  return source;
}

/** One global regex for a whole group. At one position the first alternative that matches
 *  wins, so longer patterns go first as a rough "most specific first"; a pattern that must not
 *  cut a longer phrase in two says so with a lookahead ("visas?(?! sponsorship)").
 *  Callers check `startsWord` on each match. */
export function compileGroup(patterns: readonly string[]): RegExp {
  const alternatives = [...patterns].sort((a, b) => b.length - a.length).map((pattern) => `(?:${expandPattern(pattern)})`);
  return new RegExp(`(?:${alternatives.join('|')})${AFTER}`, 'g');
}
