// The HTML part read from the pieces it was rendered in (renderTemplateInPieces) gives the same
// words as the part read whole, so findForeignData finds the same with them as without: on
// random pieces cut anywhere (inside tags, entities, words, next to marks and Greek sigma), and
// on every shipped template, where the pieces must always be usable.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { builtInMessageKinds } from '../decisions/decisions.schemas.js';
import type { Feedback } from '../feedback/feedback.schemas.js';
import { feedbackFields } from '../feedback/lint/lint.js';
import { feedbackContext, sampleContexts, supportedLocales } from '../templates/context.js';
import { defaultTemplate } from '../templates/defaults.js';
import { contextValues, renderTemplateInPieces, templateLiterals } from '../templates/render.js';
import { findForeignData, foreignDataIndex, htmlWordsOfPieces, legitimateTexts } from './foreign-data.js';

/** words(decodeHtml(html)): legitimateTexts keeps a text's words whole, under its first word. */
const wordsOfWhole = (html: string) => [...legitimateTexts([html]).values()].flat()[0] ?? [];

const fragments = [
  '<p>',
  '</p>',
  '<a href="',
  '">',
  '<',
  '>',
  '&amp;',
  '&',
  'amp;',
  '&#x26;',
  '&#',
  'x41;',
  '&#38;',
  '&nbsp;',
  '&#931;',
  '&#x26;#931;',
  ';',
  '#',
  'ana',
  'maria',
  'lopez',
  'Ben',
  'carter',
  'ΑΣ',
  'Σ',
  'α',
  '.',
  ':',
  "'",
  '’',
  'e\u0301',
  '\u0301',
  ' ',
  '\n',
  '\u00a0',
  ',',
  '(',
  '/5)',
  '4',
  'İ',
  'ﬁne',
  '…',
  '«',
  '„',
];
const piece = fc.array(fc.constantFrom(...fragments), { maxLength: 8 }).map((parts) => parts.join(''));

describe('an HTML part read in pieces', () => {
  it('has the words of the part read whole, or is read whole', () => {
    let inPieces = 0;
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (pieces) => {
        const html = pieces.join('');
        const words = htmlWordsOfPieces(html, pieces);
        if (words) {
          inPieces++;
          expect(words).toEqual(wordsOfWhole(html));
        }
      }),
      { numRuns: 5000 },
    );
    // Seams next to words, entities and sigma send many of these whole; the rest must be most.
    expect(inPieces).toBeGreaterThan(1500);
  });

  it('is read whole when the pieces are not the part', () => {
    expect(htmlWordsOfPieces('<p>Ben Carter</p>', ['<p>Ben ', 'Carter'])).toBeUndefined();
  });

  it('gives findForeignData the same findings as the part read whole', () => {
    // Every pair of these words is someone's name, so any change in the words changes the findings.
    const vocabulary = ['ana', 'maria', 'lopez', 'ben', 'carter', 'σας', 'ασα', 'fine', 'e', 'x41'];
    const people = vocabulary.flatMap((a, i) => vocabulary.map((b, j) => ({ candidateId: `p${i}-${j}`, name: `${a} ${b}`, feedbackTexts: [] })));
    const index = foreignDataIndex(people);
    const own = { candidateId: 'own', name: 'Own Person', feedbackTexts: [] };
    let withFindings = 0;
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (pieces) => {
        const rendered = { subject: '', text: '', html: pieces.join('') };
        const expected = findForeignData(index, own, rendered);
        if (expected.length > 0 && htmlWordsOfPieces(rendered.html, pieces)) withFindings++;
        expect(findForeignData(index, own, rendered, undefined, pieces)).toEqual(expected);
      }),
      { numRuns: 6000 },
    );
    // Read in pieces, with findings: the comparison means something only if there are many.
    expect(withFindings).toBeGreaterThan(500);
  });
});

describe('shipped templates in pieces', () => {
  const cases = supportedLocales.flatMap((locale) => builtInMessageKinds.flatMap((kind) => (['full', 'minimal'] as const).map((sample) => [locale, kind, sample] as const)));

  it.each(cases)('%s %s (%s sample) is read in pieces, to the same words', (locale, kind, sample) => {
    const { content, htmlPieces } = renderTemplateInPieces(defaultTemplate(kind, locale)!, sampleContexts(locale, 'https://hearback.example')[sample]);
    expect(htmlWordsOfPieces(content.html, htmlPieces)).toEqual(wordsOfWhole(content.html));
  });

  const member = (id: string, name: string, strengths: string[]) => ({
    id,
    name,
    feedback: { reasonCategory: 'skills_gap', strengths, areasToImprove: [], competencies: [] } as Feedback,
  });
  const members = [
    member('a', 'Amara Okafor', ['Unlike Ben Carter, you finished the exercise']),
    member('b', 'Ben Carter', ['A thoughtful take on rate limiting for public APIs']),
    // Someone whose name is in the English template's own words (its sign-off).
    member('c', 'Best Wishes', []),
  ];
  const index = foreignDataIndex(members.map((m) => ({ candidateId: m.id, name: m.name, feedbackTexts: feedbackFields(m.feedback).map((f) => f.text) })));

  function render(member: (typeof members)[number]) {
    const template = defaultTemplate('rejection_after_interview', 'en')!;
    const context = {
      ...sampleContexts('en', 'https://hearback.example').full,
      candidate: { name: member.name, firstName: member.name.split(' ')[0]! },
      feedback: feedbackContext(member.feedback, 'en'),
    };
    const { content, htmlPieces } = renderTemplateInPieces(template, context);
    const own = { candidateId: member.id, name: member.name, feedbackTexts: feedbackFields(member.feedback).map((f) => f.text) };
    return { content, htmlPieces, own, legitimate: legitimateTexts([...templateLiterals(template), ...contextValues(context)]) };
  }

  it('still finds another candidate’s name that only a data value (the candidate’s own feedback) put in', () => {
    const { content, htmlPieces, own, legitimate } = render(members[0]!);
    const found = findForeignData(index, own, content, legitimate, htmlPieces);
    expect(found).toEqual([{ candidateId: 'b', field: 'name', value: 'ben carter' }]);
    expect(found).toEqual(findForeignData(index, own, content, legitimate));
  });

  it('treats a name in the template’s own words as before: the template’s text is legitimate when the render job says so, and not otherwise', () => {
    const { content, htmlPieces, own, legitimate } = render(members[1]!);
    // The render job's legitimate texts hold the template's words: "Best wishes" is its sign-off.
    expect(findForeignData(index, own, content, legitimate, htmlPieces)).toEqual([]);
    // Without them only the candidate's own texts are: found, in pieces as whole.
    const bare = findForeignData(index, own, content, undefined, htmlPieces);
    expect(bare).toEqual([{ candidateId: 'c', field: 'name', value: 'best wishes' }]);
    expect(bare).toEqual(findForeignData(index, own, content));
  });
});
