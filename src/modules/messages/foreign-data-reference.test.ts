// The foreign-data check finds exactly what its first, straightforward version found: that
// version (every run of words looked up, the masks built for every part) is kept here as the
// reference, and the two are compared over random plans and messages in which names and
// passages of several candidates collide, overlap and repeat.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findForeignData, foreignDataIndex, legitimateTexts, type ForeignData, type ForeignFinding, type LegitimateTexts, type PlanPerson } from './foreign-data.js';

const words = (text: string) =>
  text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
const PASSAGE_WORDS = 6;
const MIN_ITEM_WORDS = 3;
const shingles = (text: string) => {
  const w = words(text);
  if (w.length < PASSAGE_WORDS) return w.length >= MIN_ITEM_WORDS ? [w.join(' ')] : [];
  const out: string[] = [];
  for (let i = 0; i + PASSAGE_WORDS <= w.length; i++) out.push(w.slice(i, i + PASSAGE_WORDS).join(' '));
  return out;
};
const decodeEntities = (html: string) =>
  html
    .replace(/<[^>]*>/g, ' ')
    .replace(/&#x([0-9a-f]+);/gi, (_, n: string) => String.fromCodePoint(parseInt(n, 16)))
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&(amp|lt|gt|quot|apos|nbsp);/g, (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' })[e]!);
function coverage(w: string[], legitimate: LegitimateTexts): Uint8Array {
  const covered = new Uint8Array(w.length);
  for (let i = 0; i < w.length; i++) {
    for (const sequence of legitimate.get(w[i]!) ?? []) {
      if (i + sequence.length <= w.length && sequence.every((word, k) => w[i + k] === word)) covered.fill(1, i, i + sequence.length);
    }
  }
  return covered;
}
const all = (mask: Uint8Array, from: number, to: number) => mask.subarray(from, to).every(Boolean);

function reference(
  index: ForeignData,
  own: PlanPerson,
  rendered: { subject: string; html: string; text: string },
  legitimate: LegitimateTexts = legitimateTexts([own.name, ...own.feedbackTexts]),
): ForeignFinding[] {
  const ownName = words(own.name).join(' ');
  const ownPassages = new Set(own.feedbackTexts.flatMap(shingles));
  const ownItems = own.feedbackTexts.map((text) => ` ${words(text).join(' ')} `);
  const someoneElse = (owners: Set<string> | undefined) => (owners ? [...owners].find((o) => o !== own.candidateId) : undefined);
  const found = new Map<string, ForeignFinding>();
  const ownWords = words(own.name);
  for (const source of [rendered.subject, rendered.text, decodeEntities(rendered.html)]) {
    const w = words(source);
    const ownSpan = new Uint8Array(w.length);
    if (ownWords.length > 0) {
      for (let i = 0; i + ownWords.length <= w.length; i++) {
        if (ownWords.every((word, k) => w[i + k] === word)) ownSpan.fill(1, i, i + ownWords.length);
      }
    }
    const covered = coverage(w, legitimate);
    const longest = Math.max(index.longestName, PASSAGE_WORDS);
    for (let i = 0; i < w.length; i++) {
      let gram = w[i]!;
      for (let n = 2; n <= longest && i + n <= w.length; n++) {
        gram += ` ${w[i + n - 1]!}`;
        if (n <= index.longestName && !ownSpan.subarray(i, i + n).every(Boolean)) {
          const owner = gram === ownName ? undefined : someoneElse(index.names.get(gram));
          const leaked = owner && (!all(covered, i, i + n) || ownItems.some((item) => item.includes(` ${gram} `)));
          if (leaked && !ownSpan.subarray(i, i + n).some(Boolean)) found.set(`name|${gram}`, { candidateId: owner, field: 'name', value: gram });
        }
        if (n >= MIN_ITEM_WORDS && n <= PASSAGE_WORDS) {
          const owner = ownPassages.has(gram) ? undefined : someoneElse(index.passages.get(gram));
          if (owner && !all(covered, i, i + n)) found.set(`feedback|${owner}`, { candidateId: owner, field: 'feedback', value: gram });
        }
      }
    }
  }
  return [...found.values()];
}

// Few words, so names, passages and the message's own text keep running into each other.
// Some need Unicode's rules: decomposition, marks after a separator, ligatures, Greek final sigma.
const vocabulary = [
  'ana',
  'maria',
  'lopez',
  'ben',
  'carter',
  'test',
  'automation',
  'the',
  'case',
  'study',
  'clear',
  'of',
  'you',
  'Åsa',
  'Ngô',
  '测试',
  'ΟΔΥΣΣΕΥΣ',
  'ΑΣ.Α',
  'e\u0301',
  '.\u0301x',
  'ﬁne',
  '½',
  'it’s',
  'İstanbul',
];
const phrase = (min: number, max: number) => fc.array(fc.constantFrom(...vocabulary), { minLength: min, maxLength: max }).map((w) => w.join(' '));
const person = fc.record({ name: phrase(1, 4), feedbackTexts: fc.array(phrase(1, 9), { maxLength: 4 }) });

describe('findForeignData against its reference', () => {
  it('splits any text into the same words', () => {
    const plan = (texts: string[]) => foreignDataIndex(texts.map((name, i) => ({ candidateId: `p${i}`, name, feedbackTexts: [] })));
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string({ unit: 'binary', maxLength: 30 }), fc.constantFrom(...vocabulary)), { minLength: 1, maxLength: 8 }), (texts) => {
        const text = texts.join(' ');
        // The names the index keeps are the words of each name, joined by a space.
        expect([...plan([text]).names.keys()]).toEqual(words(text).length >= 2 ? [words(text).join(' ')] : []);
      }),
      { numRuns: 3000 },
    );
  });

  it('reads markup and entities into the same words, entities that make other entities included', () => {
    const markup = [
      '<p>',
      '<a href="x&amp;y">',
      '</td>',
      '<',
      '>',
      '&amp;',
      '&AMP;',
      '&nbsp;',
      '&lt;b&gt;',
      '&#x26;',
      '&#X41;',
      '&#65;',
      '&#38;',
      '&#59;',
      '&#847;',
      '&#x2019;',
      '&#x1F600;',
      'amp;',
      '#65;',
      '&#',
      'x41;',
      '&',
      ';',
      'é',
      'İ',
      'ΣΑΣ',
    ];
    const html = fc.array(fc.oneof(fc.constantFrom(...markup), fc.constantFrom(...vocabulary), fc.constantFrom(' ', '')), { maxLength: 30 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(html, (text) => {
        const expected = words(decodeEntities(text));
        // legitimateTexts keeps a text's words whole, under its first word.
        expect([...legitimateTexts([text]).values()].flat()).toEqual(expected.length > 0 ? [expected] : []);
      }),
      { numRuns: 3000 },
    );
  });

  it('finds the same, in the same order, for random plans and messages', () => {
    let withFindings = 0;
    fc.assert(
      fc.property(
        fc.array(person, { minLength: 1, maxLength: 6 }),
        fc.nat(),
        fc.record({ subject: phrase(0, 8), text: phrase(0, 40), html: phrase(0, 40) }),
        fc.array(fc.tuple(fc.nat(), fc.nat(), fc.nat()), { maxLength: 6 }),
        fc.array(phrase(1, 6), { maxLength: 4 }),
        fc.boolean(),
        (members, pick, random, copies, extra, withLegitimate) => {
          const people = members.map((m, i) => ({ candidateId: `c${i % 4}`, ...m }));
          const own = people[pick % people.length]!;
          const index = foreignDataIndex(people);
          // Names and feedback of the plan copied into the parts, between the random words.
          const texts = people.flatMap((p) => [p.name, ...p.feedbackTexts]);
          const message = { ...random };
          for (const [which, part, at] of copies) {
            const key = (['subject', 'text', 'html'] as const)[part % 3]!;
            const cut = message[key].split(' ');
            cut.splice(at % (cut.length + 1), 0, texts[which % texts.length]!);
            message[key] = cut.join(' ');
          }
          // Punctuation, markup and entities between words, as rendered parts have them.
          const rendered = {
            subject: message.subject,
            text: message.text.replace(/ /g, (_, at: number) => (at % 3 ? ' ' : ', ')),
            html: `<p>${message.html.replace(/ /g, '&nbsp;')}</p>`,
          };
          const legitimate = withLegitimate ? legitimateTexts([...extra, own.name, ...own.feedbackTexts]) : undefined;
          const expected = reference(index, own, rendered, legitimate);
          if (expected.length > 0) withFindings++;
          expect(findForeignData(index, own, rendered, legitimate)).toEqual(expected);
          expect(findForeignData(index, own, rendered, legitimate ? () => legitimate : undefined)).toEqual(expected);
        },
      ),
      { numRuns: 3000 },
    );
    // The comparison means something only if many of the messages do hold someone else's data.
    expect(withFindings).toBeGreaterThan(600);
  });
});
