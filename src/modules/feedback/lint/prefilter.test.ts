// The lint's prefilter may skip a term group only when the group's regex cannot match: checked
// here against the regexes themselves, on texts made from the groups' own patterns.
import { RegExpParser, type AST } from '@eslint-community/regexpp';
import { describe, expect, it } from 'vitest';
import { fold } from './fold.js';
import { termLists } from './lint.js';
import { prefilter, prefixesOf } from './prefilter.js';
import { compileGroup, startsWord } from './terms.js';

const sorted = (set: Set<string>) => [...set].sort();

describe('the prefixes of a regex', () => {
  it('lists every start of a match, up to the depth', () => {
    expect(sorted(prefixesOf(/ab|c[de]/, 2))).toEqual(['ab', 'cd', 'ce']);
    expect(sorted(prefixesOf(/a*b/, 3))).toEqual(['aaa', 'aab', 'ab', 'b']);
    expect(prefixesOf(/[0-9]{1,3}/, 2).size).toBe(110);
  });

  it('keeps a match shorter than the depth whole, and never the empty one', () => {
    expect(sorted(prefixesOf(/a(?:bc)?/, 3))).toEqual(['a', 'abc']);
    expect(sorted(prefixesOf(/x?/, 3))).toEqual(['x']);
  });

  it('reads every space as one, and leaves lookarounds and boundaries out', () => {
    expect(sorted(prefixesOf(/x[\s-]+y/, 3))).toEqual(['x  ', 'x -', 'x y', 'x- ', 'x--', 'x-y']);
    expect(sorted(prefixesOf(/(?<!no )\byes(?=!)/, 2))).toEqual(['ye']);
    expect(sorted(prefixesOf(/ab(?![a-z]|-[a-z])/g, 4))).toEqual(['ab']);
  });

  it('refuses what it cannot list: too many strings, back-references', () => {
    expect(() => prefixesOf(/[a-z]{3}/, 3, 1000)).toThrow(/more than 1000/);
    expect(() => prefixesOf(/(a)\1/, 3)).toThrow(/Backreference/);
    expect(() => prefixesOf(new RegExp('(?i:a)b'), 1)).toThrow(/modifiers/);
  });
});

describe('the prefilter', () => {
  it('marks a regex where a word starts with one of its prefixes, and only there', () => {
    const filter = prefilter([/bar/g, /qux/g]);
    expect([...filter.candidates('foo bar')]).toEqual([1, 0]);
    expect([...filter.candidates('foobar qu')]).toEqual([0, 0]);
    // A hyphen joins words: "bar" after "foo-" is inside one.
    expect([...filter.candidates('foo-bar, qux')]).toEqual([0, 1]);
  });

  it('reads spaces in the text as the prefixes do', () => {
    const filter = prefilter([/a[\s-]+b/g]);
    expect([...filter.candidates('x a\tb')]).toEqual([1]);
    expect([...filter.candidates('x a\nb')]).toEqual([1]);
  });

  it('never skips a regex whose nodes it cannot read one by one', () => {
    // A class that matches a string (v flag), and a legacy escape whose text alone means another thing.
    const filter = prefilter([new RegExp(String.raw`[\q{abc}x]`, 'gv'), new RegExp(String.raw`\c`, 'g')]);
    expect(new RegExp(String.raw`\c`).test(String.raw`a \c`)).toBe(true);
    expect([...filter.candidates('abc')]).toEqual([1, 1]);
    expect([...filter.candidates(String.raw`a \c`)]).toEqual([1, 1]);
  });

  it('runs a regex the parser refuses on every text, rather than failing', () => {
    const refused = /a/g;
    // As if the engine took syntax the parser does not know.
    Object.defineProperty(refused, 'source', { value: 'a(' });
    const filter = prefilter([refused, /zzz/g]);
    expect([...filter.candidates('nothing here')]).toEqual([1, 0]);
  });

  it('always runs a regex it cannot list', () => {
    // A back-reference is not read: listing stops at it, here where the first character may be.
    const filter = prefilter([/(a?)\1b/g, /zzz/g]);
    expect([...filter.candidates('nothing here')]).toEqual([1, 0]);
  });
});

// --- Against the term groups ------------------------------------------------------------------

const groups = termLists.flatMap((list) => list.groups.map((group) => ({ name: `${list.language}/${group.code}`, regex: compileGroup(group.patterns) })));

/** Whether `regex` (global, this file's own) matches `folded` where a word starts, as the lint's scan reads it. */
function matchesAtWordStart(regex: RegExp, folded: string): boolean {
  regex.lastIndex = 0;
  for (let found = regex.exec(folded); found !== null; found = regex.exec(folded)) {
    if (found[0].length > 0 && startsWord(folded, found.index)) return true;
    regex.lastIndex = found.index + 1;
  }
  return false;
}

/** A small seeded generator, so a failure names a text that fails again. */
function random(seed: number) {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TYPED = [...Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)), '\t', '\n'];

/** Strings the regex's syntax describes (its lookarounds ignored: the regex itself decides). */
function sampler(regex: RegExp, next: () => number): () => string {
  const pattern = new RegExpParser({ ecmaVersion: 2025 }).parsePattern(regex.source);
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]!;
  const characters = new Map<AST.Node, string[]>();
  const walk = (node: AST.Node): string => {
    switch (node.type) {
      case 'Alternative':
        return node.elements.map(walk).join('');
      case 'Group':
      case 'CapturingGroup':
        return walk(pick(node.alternatives));
      case 'Quantifier': {
        const times = node.min + Math.floor(next() * (Math.min(node.max, node.min + 3) - node.min + 1));
        return Array.from({ length: times }, () => walk(node.element)).join('');
      }
      case 'Character':
      case 'CharacterClass':
      case 'CharacterSet': {
        let chars = characters.get(node);
        if (chars === undefined) {
          const whole = new RegExp(`^(?:${node.raw})$`);
          characters.set(node, (chars = TYPED.filter((char) => whole.test(char))));
        }
        return pick(chars);
      }
      default:
        return '';
    }
  };
  return () => walk(pick(pattern.alternatives));
}

describe('the prefilter on the lint term groups', () => {
  const filter = prefilter(groups.map((group) => group.regex));

  /** Every group that matches the text is marked; returns which groups matched. */
  const expectSound = (text: string) => {
    const folded = fold(text).text;
    const marks = filter.candidates(folded);
    const matching = groups.map((group) => matchesAtWordStart(group.regex, folded));
    expect(
      groups.filter((_, index) => matching[index] && marks[index] === 0).map((group) => group.name),
      JSON.stringify(folded),
    ).toEqual([]);
    return matching;
  };

  it('reads groups written in ASCII, as folded text is (a character past it could never start a prefix)', () => {
    const ascii = (text: string) => [...text].every((char) => char.charCodeAt(0) < 0x80);
    expect(groups.filter((group) => !ascii(group.regex.source)).map((group) => group.name)).toEqual([]);
    expect(ascii(fold('Ärger über „Straße“ – ﬁne 中文 ½').text)).toBe(true);
  });

  it('lists every group at full depth (none is left to run on every text)', () => {
    expect(
      groups
        .filter((group) => {
          try {
            prefixesOf(group.regex);
            return false;
          } catch {
            return true;
          }
        })
        .map((group) => group.name),
    ).toEqual([]);
  });

  it('marks every group that matches a text made of its own patterns', () => {
    const next = random(18);
    const around = ['', 'we think ', 'x. ', '(', 'note:\t', 'and-then '];
    const after = ['', '.', ' today', '-like', "'s", ' and more'];
    for (const [index, group] of groups.entries()) {
      const sample = sampler(group.regex, next);
      let matched = 0;
      for (let i = 0; i < 40; i++) {
        if (expectSound(`${around[i % around.length]!}${sample()}${after[(i >> 2) % after.length]!}`)[index]) matched++;
      }
      // The samples must exercise the group itself, or this test would say nothing about it.
      expect(matched, group.name).toBeGreaterThan(0);
    }
  });

  it('marks every group that matches text made of the lists’ words, any separators, any case', () => {
    const words = [...new Set(termLists.flatMap((list) => list.groups.flatMap((group) => group.patterns.flatMap((pattern) => pattern.split(/[^a-z0-9']+/)))))].filter(Boolean);
    const separators = [' ', ' ', ' ', '  ', '-', '\t', '\n', ', ', ' - ', '\u00a0', "'"];
    const next = random(7);
    let matching = 0;
    for (let i = 0; i < 3000; i++) {
      const count = 2 + Math.floor(next() * 6);
      let text = '';
      for (let w = 0; w < count; w++) {
        const word = words[Math.floor(next() * words.length)]!;
        text += (w === 0 ? '' : separators[Math.floor(next() * separators.length)]!) + (next() < 0.2 ? word.toUpperCase() : word);
      }
      if (next() < 0.5) text += ` ${Math.floor(next() * 120)}`;
      if (expectSound(text).includes(true)) matching++;
    }
    expect(matching).toBeGreaterThan(300);
  });
});
