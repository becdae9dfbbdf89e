import { Liquid } from 'liquidjs';
import { lintFeedback } from '../../src/modules/feedback/lint/lint.js';
import { findForeignData, foreignDataIndex, legitimateTexts } from '../../src/modules/messages/foreign-data.js';
import { feedbackContext, sampleContexts } from '../../src/modules/templates/context.js';
import { defaultTemplate } from '../../src/modules/templates/defaults.js';
import { contextValues, registerFilters, renderTemplateInPieces, templateLiterals } from '../../src/modules/templates/render.js';
import { defineScenario, type Metrics } from '../lib/types.js';

// 10,000 messages of one plan through what a message costs to produce — strict render of the
// three parts, feedback lint, the foreign-data check against the other 9,999 candidates — and,
// in the same run, a plain LiquidJS render of the same template and data as the baseline.
const COUNT = { full: 10_000, quick: 2_000 };
/** Messages rendered one way, then the other, in turn. */
const SLICE = 500;
const locales = ['en', 'fr', 'de', 'es'] as const;

export default defineScenario({
  name: 'render-10k',
  kind: 'custom',
  description: 'render + lint + foreign-data check of 10,000 messages vs a plain Liquid render',
  async setup(ctx) {
    const count = ctx.quick ? COUNT.quick : COUNT.full;
    const people = Array.from({ length: count }, (_, i) => ({
      candidateId: `c${i}`,
      name: `Candidate${i} Surname${i}`,
      locale: locales[i % locales.length]!,
      feedback: {
        reasonCategory: 'experience_level' as const,
        // Every text differs from one candidate to the next, as a real plan's do: lint remembers
        // texts it has seen, and repeated feedback would let it skip most of its work.
        strengths: [`Clear explanation of the caching layer number ${i}`, `Good questions about on-call rotation ${i}`],
        areasToImprove: [`Production experience with Kubernetes operators, cluster ${i}`],
        competencies: [{ name: 'System design', rating: 3, comment: `Reasonable trade-offs in exercise ${i}, some gaps in failure handling` }],
        personalNote: `Thank you for the time you gave us, candidate ${i}.`,
      },
    }));
    return { people };
  },
  async run({ people }): Promise<Metrics> {
    // With Hearback's filters (the text part wraps with `wrap`), nothing else.
    const plain = registerFilters(new Liquid());
    const plainHtml = registerFilters(new Liquid({ outputEscape: 'escape' }));
    const contexts = people.map((p) => {
      const base = sampleContexts(p.locale, 'https://hearback.example').full;
      return {
        ...base,
        candidate: { name: p.name, firstName: p.name.split(' ')[0]! },
        feedback: feedbackContext({ ...p.feedback, nextSteps: { otherOpenings: [], talentPoolInvite: false } }, p.locale),
      };
    });

    // Baseline: plain LiquidJS, each template parsed once, rendered for every candidate.
    const plainParsed = new Map(
      locales.map((l) => {
        const t = defaultTemplate('rejection_after_interview', l)!;
        return [l, { subject: plain.parse(t.subject), html: plainHtml.parse(t.html), text: plain.parse(t.text) }] as const;
      }),
    );
    const renderPlain = (from: number, to: number) => {
      for (let i = from; i < to; i++) {
        const t = plainParsed.get(people[i]!.locale)!;
        plain.renderSync(t.subject, contexts[i]);
        plainHtml.renderSync(t.html, contexts[i]);
        plain.renderSync(t.text, contexts[i]);
      }
    };

    const asPerson = (p: (typeof people)[number]) => ({
      candidateId: p.candidateId,
      name: p.name,
      feedbackTexts: [...p.feedback.strengths, ...p.feedback.areasToImprove, p.feedback.personalNote],
    });
    let started = performance.now();
    // Built once per plan, as the render job does.
    const index = foreignDataIndex(people.map(asPerson));
    let blocked = 0;
    // What the template itself says may appear in any message, as the render job passes it.
    const templateTexts = new Map(locales.map((l) => [l, legitimateTexts(templateLiterals(defaultTemplate('rejection_after_interview', l)!))] as const));
    let fullMs = performance.now() - started;
    const renderFull = (from: number, to: number) => {
      for (let i = from; i < to; i++) {
        const p = people[i]!;
        // The HTML part in the pieces LiquidJS wrote, as the render job renders it for the check.
        const { content, htmlPieces } = renderTemplateInPieces(defaultTemplate('rejection_after_interview', p.locale)!, contexts[i]!);
        lintFeedback(p.feedback, { locale: p.locale });
        const legitimate = () => legitimateTexts(contextValues(contexts[i]), templateTexts.get(p.locale));
        if (findForeignData(index, asPerson(p), content, legitimate, htmlPieces).length > 0) blocked++;
      }
    };
    // The two in turn, a slice of the messages each, so that both see the machine as it is in
    // the same seconds (on a shared 2-core machine a whole pass of one, then of the other, moved
    // the ratio by half from one run to the next).
    let plainMs = 0;
    for (let from = 0; from < people.length; from += SLICE) {
      const to = Math.min(from + SLICE, people.length);
      started = performance.now();
      renderPlain(from, to);
      plainMs += performance.now() - started;
      started = performance.now();
      renderFull(from, to);
      fullMs += performance.now() - started;
    }
    return {
      values: {
        messages: people.length,
        plainRenderMs: Math.round(plainMs),
        renderLintCheckMs: Math.round(fullMs),
        perMessageUs: Math.round((fullMs / people.length) * 1000),
        ratioToPlain: Math.round((plainMs / fullMs) * 100) / 100,
        falselyBlocked: blocked,
      },
      compare: ['plainRenderMs', 'renderLintCheckMs', 'perMessageUs', 'ratioToPlain', 'falselyBlocked'],
      ...(blocked > 0 ? { invalid: `${blocked} messages were flagged for foreign data that is not there` } : {}),
    };
  },
  async teardown() {},
});
