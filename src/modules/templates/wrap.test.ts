// The `wrap` filter never drops a character and keeps lines within the width unless one word is
// longer; and wherever the Liquid wrapping it replaced was right (no character outside the BMP,
// under 500 lines a paragraph), it gives the same text to the character: on its own over many
// varied inputs, and through every shipped text template (compared with the same template
// ending in the Liquid block, as it did before) in every language and register.
import fc from 'fast-check';
import { Liquid } from 'liquidjs';
import { describe, expect, it } from 'vitest';
import { builtInMessageKinds } from '../decisions/decisions.schemas.js';
import { feedbackContext, sampleContexts, supportedLocales, type TemplateContext } from './context.js';
import { defaultTemplate } from './defaults.js';
import { formalities } from './formality.js';
import { renderTemplate } from './render.js';
import { LIQUID_WRAP_BLOCK, withWrapFilter, wrapFilter, wrapText } from './wrap.js';

// The engine the Liquid block always ran in (the text part's: strict, nothing escaped), without the filter.
const liquid = new Liquid({ strictVariables: true, strictFilters: true, ownPropertyOnly: true, templates: {} });
const blockAt = (width: number) => LIQUID_WRAP_BLOCK.replaceAll('72', String(width));
const parsedBlocks = new Map<number, ReturnType<Liquid['parse']>>();
const liquidWrap = (message: string, width = 72) => {
  if (!parsedBlocks.has(width)) parsedBlocks.set(width, liquid.parse(blockAt(width)));
  return liquid.renderSync(parsedBlocks.get(width)!, { wrap_message: message }) as string;
};

// Pieces of text that wrapping can get wrong: long words and links, scripts without spaces,
// characters outside the BMP (counted as two by `size`, one by `slice`), odd spaces and newlines.
const pieces = [
  'the',
  'a',
  'interview',
  'feedback',
  'Kubernetes',
  'Überraschungsmomente',
  'développement',
  'señalización',
  'https://careers.northwind.example/jobs/senior-backend-engineer?utm_source=hearback&utm_medium=email',
  'https://hearback.example/f/0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz',
  'x'.repeat(71),
  'y'.repeat(72),
  'z'.repeat(73),
  'Донъ-Кихотъ',
  'العربية',
  'Ελληνικά',
  '日本語のフィードバックはここにあります',
  '面试反馈非常有用谢谢您的时间和耐心'.repeat(6),
  '한국어',
  '🙂',
  '👩‍💻',
  '🇪🇺',
  '🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂',
  'e\u0301',
  '-',
  '- ',
  ':',
  '(Remote [EU])',
];
const separators = [' ', ' ', ' ', ' ', ' ', '  ', '\n', '\n\n', '\n- ', '\u00a0', '\u3000', '\t', ''];
const varied = fc
  .array(fc.tuple(fc.constantFrom(...pieces), fc.constantFrom(...separators)), { maxLength: 120 })
  .map((parts) => parts.map(([piece, separator]) => piece + separator).join(''));
/** Texts the Liquid code wrapped right: it cut wrongly after a character outside the BMP, and stopped after 500 lines. */
const liquidWasRight = (text: string) => !/[\ud800-\udfff]/.test(text) && text.length < 400 * 8;
/** What wrapping may not change: every character but whitespace, in order. */
const words = (text: string) => text.replace(/\s+/g, '');
const codePoints = (text: string) => [...text].length;

const anyText = fc.oneof(varied, fc.string({ unit: 'grapheme', maxLength: 300 }), fc.string({ unit: fc.constantFrom(' ', 'a', 'b', '-', '\n', '🙂', '语'), maxLength: 400 }));

describe('wrapText', () => {
  it('wraps as the Liquid block does, over varied text', () => {
    fc.assert(
      fc.property(anyText.filter(liquidWasRight), (text) => {
        expect(wrapText(text)).toBe(liquidWrap(text));
      }),
      { numRuns: 1500 },
    );
  });

  it('wraps as the Liquid block does at other widths too', () => {
    fc.assert(
      fc.property(anyText.filter(liquidWasRight), fc.constantFrom(8, 20, 40, 100), (text, width) => {
        expect(wrapText(text, width)).toBe(liquidWrap(text, width));
      }),
      { numRuns: 600 },
    );
  });

  it('never drops a character, and keeps lines within the width unless one word is longer', () => {
    fc.assert(
      fc.property(anyText, fc.constantFrom(8, 20, 40, 72, 100), (text, width) => {
        const wrapped = wrapText(text, width);
        expect(words(wrapped)).toBe(words(text));
        for (const line of wrapped.split('\n')) {
          // Longer only when it is one word (after its indent or list marker): nowhere to break.
          if (codePoints(line) > width) expect(line.replace(/^\s*(- )?/, '').trimEnd(), `"${line}" is longer than ${width}`).not.toMatch(/ /);
        }
      }),
      { numRuns: 1500 },
    );
  });

  it('keeps the words after an emoji, which the Liquid code dropped', () => {
    const text = `Great ${'🙂'.repeat(10)} energy in the interview, and a clear sense of ownership over the platform work you described.`;
    expect(words(wrapText(text))).toBe(words(text));
    expect(words(liquidWrap(text))).not.toBe(words(text)); // what candidates would have lost
    expect(wrapText(text)).toContain('ownership');
  });

  it('wraps a paragraph of more than 500 lines to its end', () => {
    const text = 'ab '.repeat(5000);
    expect(words(wrapText(text, 8))).toBe(words(text));
    expect(wrapText(text, 8).split('\n')).toHaveLength(Math.ceil(5000 / 3)); // three "ab" a line
  });

  it.each([
    ['empty', ''],
    ['only newlines', '\n\n\n'],
    ['trailing newlines', 'Hello\n\n'],
    ['leading spaces on a long line', `   ${'word '.repeat(30)}`],
    ['a space exactly at the limit', `${'a'.repeat(72)} ${'b'.repeat(10)}`],
    ['a word longer than the line', `- ${'c'.repeat(150)} and more words after it`],
    ['a list item that wraps', `- ${'Production experience with Kubernetes operators, '.repeat(5)}`],
  ])('%s', (_, text) => {
    expect(wrapText(text)).toBe(liquidWrap(text));
    expect(wrapText(text, 8)).toBe(liquidWrap(text, 8));
  });

  it('refuses a width that is not a whole number from 1 to 1000', () => {
    for (const width of [0, -5, 2.5, '72', 1001]) expect(() => wrapFilter('text', width)).toThrow(/width/);
    expect(wrapFilter(null)).toBe('');
  });
});

/** A context whose every text is varied text: feedback items, names, titles, notes. */
const contexts = (locale: (typeof supportedLocales)[number]) =>
  fc
    .record({
      name: varied,
      title: varied,
      department: fc.option(varied),
      location: fc.option(varied),
      recruiter: fc.option(varied),
      strengths: fc.array(varied, { maxLength: 3 }),
      areasToImprove: fc.array(varied, { maxLength: 3 }),
      comment: fc.option(varied),
      personalNote: fc.option(varied),
      openings: fc.array(varied, { maxLength: 2 }),
      talentPool: fc.boolean(),
      withFeedback: fc.boolean(),
    })
    .map((r): TemplateContext => {
      const { full, minimal } = sampleContexts(locale, 'https://hearback.example');
      const base = r.withFeedback ? full : minimal;
      return {
        ...base,
        candidate: { name: r.name || 'A', firstName: r.name.split(' ')[0] || 'A' },
        requisition: { title: r.title || 'T', department: r.department || null, location: r.location || null },
        recruiter: { name: r.recruiter || null, email: r.recruiter ? 'sam@northwind.example' : null },
        feedback: r.withFeedback
          ? feedbackContext(
              {
                reasonCategory: 'skills_gap',
                strengths: r.strengths.filter(Boolean),
                areasToImprove: r.areasToImprove.filter(Boolean),
                competencies: [{ name: 'System design', rating: 3, ...(r.comment ? { comment: r.comment } : {}) }],
                ...(r.personalNote ? { personalNote: r.personalNote } : {}),
                nextSteps: { otherOpenings: r.openings.filter(Boolean), talentPoolInvite: r.talentPool },
              },
              locale,
            )
          : null,
      };
    });

describe('shipped text templates with the filter', () => {
  const variants = supportedLocales.flatMap((locale) =>
    builtInMessageKinds.flatMap((kind) => formalities.map((formality) => [locale, kind, formality, defaultTemplate(kind, locale, formality)!] as const)),
  );

  it('every shipped text template wraps with the filter', () => {
    for (const [, , , template] of variants) {
      expect(template.text).toContain('| wrap: 72');
      expect(template.text).not.toContain('wrap_lines');
    }
  });

  it.each(supportedLocales)('%s: each text part renders as it did with the Liquid wrapping', (locale) => {
    const ours = variants.filter(([l]) => l === locale);
    // The template as it was: the filter call back to the Liquid block.
    const before = new Map(ours.map(([, kind, formality, t]) => [`${kind}|${formality}`, liquid.parse(t.text.replace('{{- wrap_message | wrap: 72 }}', LIQUID_WRAP_BLOCK))]));
    fc.assert(
      fc.property(
        contexts(locale).filter((context) => liquidWasRight(JSON.stringify(context))),
        (context) => {
          for (const [, kind, formality, template] of ours) {
            expect(renderTemplate(template, context).text).toBe(liquid.renderSync(before.get(`${kind}|${formality}`)!, context));
          }
        },
      ),
      { numRuns: 25 },
    );
    // And the sample data the previews use.
    for (const context of Object.values(sampleContexts(locale, 'https://hearback.example'))) {
      for (const [, kind, formality, template] of ours) {
        expect(renderTemplate(template, context).text).toBe(liquid.renderSync(before.get(`${kind}|${formality}`)!, context));
      }
    }
  });
});

describe('saved templates that wrap in Liquid', () => {
  // (Run as the filter, they also keep the words the Liquid code dropped after an emoji.)
  const shipped = defaultTemplate('rejection_after_interview', 'en')!;
  const copied = { ...shipped, text: shipped.text.replace('{{- wrap_message | wrap: 72 }}', LIQUID_WRAP_BLOCK) };
  const { full, minimal } = sampleContexts('en', 'https://hearback.example');

  it('run the block as the filter, with the same output', () => {
    expect(withWrapFilter(copied.text)).toBe(shipped.text);
    for (const context of [full, minimal]) expect(renderTemplate(copied, context).text).toBe(liquid.parseAndRenderSync(copied.text, context));
  });

  it('keep their own Liquid when anything follows the block, or it was changed', () => {
    const followed = `${copied.text}\nP.S. {{ wrap_lines.size }}`;
    expect(withWrapFilter(followed)).toBe(followed);
    expect(renderTemplate({ ...copied, text: followed }, full).text).toBe(liquid.parseAndRenderSync(followed, full));
    const changed = copied.text.replace('(1..500)', '(1..400)');
    expect(withWrapFilter(changed)).toBe(changed);
  });
});
