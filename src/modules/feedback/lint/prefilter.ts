// Which of the lint's term groups can match a text at all, found without running them. Each
// group is a regex of dozens of alternatives, and running all of them on a clean text (nearly
// every text) is most of the lint's time. A group's matches begin with one of a known set of
// short strings: its prefixes, read from the regex's syntax tree (regexpp, the parser ESLint
// uses for regex rules). Where no word of the text starts with one of a group's prefixes, the
// group cannot match there, and its regex is not run.
//
// The prefixes are a superset, never a subset: lookarounds and the word-boundary checks are left
// out (they only ever remove matches), so a group is skipped only when its regex could not have
// matched. A group with too many prefixes is listed with fewer characters; one whose syntax this
// reading does not know (back-references, modifiers, classes of strings) is always run.
import { RegExpParser, type AST } from '@eslint-community/regexpp';
import { startsWord } from './terms.js';

/**
 * How many characters of a match the prefixes hold. With three, "pro" and "per" start a quarter
 * of the groups (professional, personne, profile); with four a clean sentence leaves ~5 of 99.
 */
const DEPTH = 4;
/** More prefixes than this for one group (a pattern opening on a number or a wildcard): try fewer characters. */
const MAX_PREFIXES = 20_000;

/** The characters folded text is made of (fold.ts: ASCII only). */
const ASCII = Array.from({ length: 128 }, (_, code) => String.fromCharCode(code));

/** Every space counts as ' ', on both sides: `[\s-]+` would otherwise multiply a group's prefixes by six. */
const isSpace = (code: number) => code === 0x20 || (code >= 0x09 && code <= 0x0d);
const project = (char: string) => (isSpace(char.charCodeAt(0)) ? ' ' : char);

/**
 * A prefix as a number, its character codes in base 129 (each code + 1, so no two lengths meet):
 * four characters stay below 2^29, a small integer, quicker to look up than a string built from
 * the text.
 */
const extendKey = (key: number, code: number) => key * 129 + (isSpace(code) ? 0x20 : code) + 1;
const keyOf = (prefix: string) => [...prefix].reduce((key, char) => extendKey(key, char.charCodeAt(0)), 0);

class Unlisted extends Error {}

const characterSets = new Map<string, string[]>();

/** The characters of folded text one character-matching node accepts, spaces projected. */
function charactersOf(node: AST.Character | AST.CharacterClass | AST.CharacterSet | AST.ExpressionCharacterClass, flags: string): string[] {
  // With the v flag a class may match a string ([\q{abc}]): not one character.
  if (node.type === 'ExpressionCharacterClass' || (node.type === 'CharacterClass' && node.unicodeSets)) throw new Unlisted('a class of strings');
  const key = `${flags}/${node.raw}`;
  let chars = characterSets.get(key);
  if (chars === undefined) {
    let whole: RegExp;
    try {
      whole = new RegExp(`^(?:${node.raw})$`, flags);
    } catch {
      // A node whose text means something else on its own (an escape that leans on its neighbour).
      throw new Unlisted(`the node ${node.raw}`);
    }
    characterSets.set(key, (chars = [...new Set(ASCII.filter((char) => whole.test(char)).map(project))]));
  }
  return chars;
}

/**
 * The strings a match of `regex` can begin with: every one of DEPTH characters, and the whole
 * match where it is shorter. Throws Unlisted past `max` strings or on syntax it does not read.
 */
export function prefixesOf(regex: RegExp, depth: number = DEPTH, max: number = MAX_PREFIXES): Set<string> {
  const flags = regex.flags.replace(/[gy]/g, '');
  const pattern = new RegExpParser({ ecmaVersion: 2025 }).parsePattern(regex.source, 0, regex.source.length, { unicode: flags.includes('u'), unicodeSets: flags.includes('v') });
  /** Strings complete at `depth` characters: nothing after them matters. */
  const complete = new Set<string>();
  const count = (open: Set<string>) => {
    if (complete.size + open.size > max) throw new Unlisted(`more than ${max} prefixes`);
    return open;
  };
  const consume = (from: Set<string>, chars: readonly string[]) => {
    const open = new Set<string>();
    for (const start of from) {
      for (const char of chars) {
        const next = start + char;
        if (next.length >= depth) complete.add(next);
        else open.add(next);
      }
    }
    return count(open);
  };
  /** The unfinished strings after `node`, from the unfinished strings before it. */
  const follow = (node: AST.Node, from: Set<string>): Set<string> => {
    if (from.size === 0) return from;
    switch (node.type) {
      case 'Alternative':
        return node.elements.reduce((open, element) => follow(element, open), from);
      case 'Group':
      case 'CapturingGroup': {
        if (node.type === 'Group' && node.modifiers !== null) throw new Unlisted('modifiers');
        const open = new Set<string>();
        for (const alternative of node.alternatives) for (const string of follow(alternative, from)) open.add(string);
        return count(open);
      }
      // Lookarounds and boundaries consume nothing; leaving their condition out only adds strings.
      case 'Assertion':
        return from;
      case 'Character':
      case 'CharacterClass':
      case 'CharacterSet':
      case 'ExpressionCharacterClass':
        return consume(from, charactersOf(node, flags));
      case 'Quantifier': {
        let open = from;
        for (let i = 0; i < node.min && open.size > 0; i++) open = follow(node.element, open);
        // Each further repetition may stop: keep what came before it, add what it reaches.
        const all = new Set(open);
        let frontier = open;
        for (let i = node.min; i < node.max && frontier.size > 0; i++) {
          frontier = new Set([...follow(node.element, frontier)].filter((string) => !all.has(string)));
          for (const string of frontier) all.add(string);
        }
        return count(all);
      }
      default:
        throw new Unlisted(node.type);
    }
  };
  const ends = new Set<string>();
  for (const alternative of pattern.alternatives) for (const string of follow(alternative, new Set(['']))) ends.add(string);
  // A match shorter than `depth` is a prefix of itself; the empty match is never a finding.
  for (const string of ends) if (string !== '') complete.add(string);
  return complete;
}

export interface Prefilter {
  /** For each regex, whether it may match `folded` at the start of a word (1) or cannot (0). */
  candidates(folded: string): Uint8Array;
}

/** A prefilter for regexes run on folded text, whose matches only count where a word starts (`startsWord`). */
export function prefilter(regexes: readonly RegExp[]): Prefilter {
  const byPrefix = new Map<number, number[]>();
  const always: number[] = [];
  let depth = 1;
  regexes.forEach((regex, index) => {
    for (let tried = DEPTH; tried >= 1; tried--) {
      try {
        for (const prefix of prefixesOf(regex, tried)) {
          const key = keyOf(prefix);
          const list = byPrefix.get(key);
          if (list === undefined) byPrefix.set(key, [index]);
          else if (list.at(-1) !== index) list.push(index);
        }
        depth = Math.max(depth, tried);
        return;
      } catch (error) {
        // Anything else (a regex the engine takes and the parser does not) is not read either:
        // the group is run on every text rather than the lint failing.
        if (!(error instanceof Unlisted)) break;
      }
    }
    always.push(index);
  });
  return {
    candidates(folded) {
      const marks = new Uint8Array(regexes.length);
      for (const index of always) marks[index] = 1;
      for (let at = 0; at < folded.length; at++) {
        if (!startsWord(folded, at)) continue;
        let key = 0;
        for (let length = 1; length <= depth && at + length <= folded.length; length++) {
          key = extendKey(key, folded.charCodeAt(at + length - 1));
          const list = byPrefix.get(key);
          if (list !== undefined) for (const index of list) marks[index] = 1;
        }
      }
      return marks;
    },
  };
}
