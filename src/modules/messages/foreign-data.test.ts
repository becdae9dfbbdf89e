import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { builtInMessageKinds } from '../decisions/decisions.schemas.js';
import type { Feedback } from '../feedback/feedback.schemas.js';
import { feedbackFields } from '../feedback/lint/lint.js';
import { feedbackContext, sampleContexts, supportedLocales, type SupportedLocale } from '../templates/context.js';
import { defaultTemplate } from '../templates/defaults.js';
import { contextValues, renderTemplate, templateLiterals } from '../templates/render.js';
import { findForeignData, foreignDataIndex, legitimateTexts } from './foreign-data.js';

const people = [
  { candidateId: 'a', name: 'Amara Okafor', feedbackTexts: ['Strong grasp of event sourcing and its failure modes', 'Needs more depth in Kubernetes networking'] },
  { candidateId: 'b', name: 'Ben Carter', feedbackTexts: ['A thoughtful take on rate limiting for public APIs', 'Needs more depth in Kubernetes networking'] },
  { candidateId: 'c', name: 'Chen', feedbackTexts: [] },
];
const index = foreignDataIndex(people);
const rendered = (text: string) => ({ subject: 'About your application', html: `<p>${text.replace(/&/g, '&amp;')}</p>`, text });

describe('foreign candidate data', () => {
  it('finds another candidate’s full name, however it is cased or accented', () => {
    expect(findForeignData(index, people[0]!, rendered('Dear Amara, unlike BEN CARTER you…'))).toEqual([{ candidateId: 'b', field: 'name', value: 'ben carter' }]);
  });

  it('finds a passage of another candidate’s feedback, in the HTML part too, entities and all', () => {
    const html = { subject: 's', text: 'nothing here', html: '<li>A thoughtful take on rate&nbsp;limiting for public&#x20;APIs</li>' };
    expect(findForeignData(index, people[0]!, html)).toEqual([expect.objectContaining({ candidateId: 'b', field: 'feedback' })]);
  });

  it('finds a short feedback bullet of someone else, whole', () => {
    const short = foreignDataIndex([...people, { candidateId: 'd', name: 'Dana Ross', feedbackTexts: ['Excellent Kubernetes debugging skills'] }]);
    expect(findForeignData(short, people[0]!, rendered('Your strengths: Excellent Kubernetes debugging skills.'))).toEqual([
      expect.objectContaining({ candidateId: 'd', field: 'feedback' }),
    ]);
  });

  it('does not mistake part of the candidate’s own longer name for someone else', () => {
    const plan = foreignDataIndex([
      { candidateId: 'x', name: 'Ana Maria Lopez', feedbackTexts: [] },
      { candidateId: 'y', name: 'Maria Lopez', feedbackTexts: [] },
    ]);
    expect(findForeignData(plan, { candidateId: 'x', name: 'Ana Maria Lopez', feedbackTexts: [] }, rendered('Dear Ana Maria Lopez,'))).toEqual([]);
    expect(findForeignData(plan, { candidateId: 'x', name: 'Ana Maria Lopez', feedbackTexts: [] }, rendered('Dear Ana, unlike Maria Lopez…'))).toEqual([
      expect.objectContaining({ candidateId: 'y', field: 'name' }),
    ]);
  });

  it('leaves the candidate’s own name and feedback alone, even a sentence reused for others', () => {
    const own = rendered('Dear Amara Okafor: Needs more depth in Kubernetes networking. Strong grasp of event sourcing and its failure modes.');
    expect(findForeignData(index, people[0]!, own)).toEqual([]);
  });

  it('leaves a stretch of the candidate’s own feedback alone when someone else has it too, not only the whole item', () => {
    const shared = 'Strong grasp of event sourcing and its failure modes';
    const plan = foreignDataIndex([people[0]!, { candidateId: 'd', name: 'Dana Ross', feedbackTexts: [shared] }]);
    // Six of its words, not the whole item: nothing legitimate covers them; they are the candidate's own.
    expect(findForeignData(plan, people[0]!, rendered('You showed a strong grasp of event sourcing and more.'))).toEqual([]);
    expect(findForeignData(plan, people[1]!, rendered('You showed a strong grasp of event sourcing and more.'))).toEqual([
      expect.objectContaining({ candidateId: 'a', field: 'feedback' }),
    ]);
  });

  it('ignores one-word names, which are too common to mean anything', () => {
    expect(findForeignData(index, people[0]!, rendered('Chen reviewed your exercise'))).toEqual([]);
  });
});

describe('foreign candidate data in rendered messages (real templates)', () => {
  const plan = (members: { id: string; name: string; feedback: Feedback }[]) =>
    foreignDataIndex(members.map((m) => ({ candidateId: m.id, name: m.name, feedbackTexts: feedbackFields(m.feedback).map((f) => f.text) })));

  function renderFor(member: { id: string; name: string; feedback: Feedback }, kind: string, locale: SupportedLocale, customSubject?: string) {
    const template = defaultTemplate(kind, locale)!;
    const { full } = sampleContexts(locale, 'https://hearback.example');
    const context = {
      ...full,
      candidate: { name: member.name, firstName: member.name.split(' ')[0]! },
      feedback: feedbackContext(member.feedback, locale),
    };
    const rendered = renderTemplate(template, context);
    const content = customSubject ? { ...rendered, subject: customSubject } : rendered;
    const own = { candidateId: member.id, name: member.name, feedbackTexts: feedbackFields(member.feedback).map((f) => f.text) };
    return { content, own, legitimate: legitimateTexts([...templateLiterals(template), ...contextValues(context)]) };
  }

  it('does not block a run of words that spans two of the candidate’s own feedback items (the season’s case)', () => {
    const members = [
      {
        id: 'x',
        name: 'Xavier Lund',
        feedback: {
          reasonCategory: 'skills_gap',
          strengths: ['Clear thinking and handles test automation', 'During the case study: sharp questions about scope'],
          areasToImprove: [],
          competencies: [],
        } as Feedback,
      },
      {
        id: 'y',
        name: 'Yara Nilsen',
        feedback: {
          reasonCategory: 'skills_gap',
          strengths: [],
          areasToImprove: [],
          competencies: [],
          personalNote: 'We had a good discussion of test automation. During the case study, it showed.',
        } as Feedback,
      },
    ];
    const index = plan(members);
    for (const locale of supportedLocales) {
      const { content, own, legitimate } = renderFor(members[0]!, 'rejection_after_interview', locale);
      expect(findForeignData(index, own, content, legitimate), locale).toEqual([]);
    }
  });

  const vocabulary = [
    'test',
    'automation',
    'during',
    'the',
    'case',
    'study',
    'clear',
    'thinking',
    'about',
    'scope',
    'strong',
    'ownership',
    'of',
    'we',
    'thank',
    'you',
    'for',
    'time',
    'interview',
    'design',
  ];
  const sentence = fc.array(fc.constantFrom(...vocabulary), { minLength: 3, maxLength: 14 }).map((w) => w.join(' '));

  it('never blocks a message whose feedback is the candidate’s own: random sentences split across items and shared between candidates', () => {
    fc.assert(
      fc.property(
        fc.array(sentence, { minLength: 2, maxLength: 6 }),
        fc.array(fc.tuple(fc.nat(), fc.nat(), fc.nat()), { minLength: 2, maxLength: 5 }),
        fc.constantFrom(...builtInMessageKinds),
        fc.constantFrom(...supportedLocales),
        (sentences, shapes, kind, locale) => {
          // Each candidate's items are cuts of the shared sentences, so runs cross item boundaries
          // and other candidates hold the whole sentences.
          const members = shapes.map(([a, b, c], i) => {
            const whole = sentences[a % sentences.length]!.split(' ');
            const cut = 1 + (b % Math.max(1, whole.length - 1));
            const other = sentences[c % sentences.length]!;
            const feedback: Feedback = {
              reasonCategory: 'skills_gap',
              strengths: [whole.slice(0, cut).join(' '), whole.slice(cut).join(' ')].filter(Boolean),
              areasToImprove: [other],
              competencies: [],
              personalNote: i % 2 === 0 ? sentences.join(' ') : undefined,
            } as Feedback;
            return { id: `c${i}`, name: `Member${i} Person${i}`, feedback };
          });
          const index = plan(members);
          for (const member of members) {
            const { content, own, legitimate } = renderFor(member, kind, locale);
            expect(findForeignData(index, own, content, legitimate)).toEqual([]);
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('still finds another candidate’s name in the candidate’s own feedback, and another’s feedback in a typed subject', () => {
    const members = [
      {
        id: 'a',
        name: 'Amara Okafor',
        feedback: { reasonCategory: 'skills_gap', strengths: ['Unlike Ben Carter, you finished the exercise'], areasToImprove: [], competencies: [] } as Feedback,
      },
      {
        id: 'b',
        name: 'Ben Carter',
        feedback: { reasonCategory: 'skills_gap', strengths: ['A thoughtful take on rate limiting for public APIs'], areasToImprove: [], competencies: [] } as Feedback,
      },
    ];
    const index = plan(members);
    const amara = renderFor(members[0]!, 'rejection_after_interview', 'en');
    expect(findForeignData(index, amara.own, amara.content, amara.legitimate)).toEqual([{ candidateId: 'b', field: 'name', value: 'ben carter' }]);
    const typed = renderFor(members[1]!, 'rejection_after_interview', 'en', 'About a thoughtful take on rate limiting for public APIs');
    const withAmarasFeedback = { ...members[0]!, feedback: { ...members[0]!.feedback, strengths: ['Finished the exercise'] } };
    const leaked = renderFor(withAmarasFeedback, 'rejection_after_interview', 'en', 'About a thoughtful take on rate limiting for public APIs');
    expect(findForeignData(index, typed.own, typed.content, typed.legitimate)).toEqual([]);
    expect(findForeignData(plan([withAmarasFeedback, members[1]!]), leaked.own, leaked.content, leaked.legitimate)).toEqual([
      expect.objectContaining({ candidateId: 'b', field: 'feedback' }),
    ]);
  });
});
