import { describe, expect, it } from 'vitest';
import { builtInMessageKinds } from '../decisions/decisions.schemas.js';
import { sampleContexts, supportedLocales } from './context.js';
import { defaultTemplate } from './defaults.js';
import { checkTemplate, isTemplateFailure, RenderTimeLimitError, renderTemplate, renderTemplateInPieces } from './render.js';

describe('shipped templates', () => {
  it.each(supportedLocales.flatMap((locale) => builtInMessageKinds.map((kind) => [locale, kind] as const)))('%s %s passes the same check a save does', (locale, kind) => {
    const template = defaultTemplate(kind, locale);
    expect(template, `defaults/${locale}/${kind}.*.liquid`).toBeDefined();
    const { full, minimal } = sampleContexts(locale, 'https://hearback.example');
    expect(checkTemplate(template!, [full, minimal])).toEqual([]);
    const rendered = renderTemplate(template!, full);
    expect(rendered.subject).toContain('Senior Backend Engineer');
    expect(rendered.html).not.toMatch(/{{|{%/);
  });
});

/** What `run` throws (undefined when it returns). */
function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('renderTemplate limits', () => {
  const template = defaultTemplate('rejection_after_interview', 'en')!;
  const { full } = sampleContexts('en', 'https://hearback.example');

  // A negative budget is spent before the render starts: running out of time, every time.
  it('reports running out of time as RenderTimeLimitError, which is not a template failure', () => {
    let caught: unknown;
    try {
      renderTemplate(template, full, { timeLimitMs: -1, retryTimeLimitMs: -1 });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(RenderTimeLimitError);
    expect(isTemplateFailure(caught)).toBe(false);
  });

  it('retries a render that ran out of time once, with more time, before giving up', () => {
    expect(renderTemplate(template, full, { timeLimitMs: -1, retryTimeLimitMs: 60_000 }).subject).toContain('Senior Backend Engineer');
    // A save's check too: a slow moment is not a problem in the template.
    const { minimal } = sampleContexts('en', 'https://hearback.example');
    expect(checkTemplate(template, [full, minimal], { timeLimitMs: -1, retryTimeLimitMs: 60_000 })).toEqual([]);
    const slow = checkTemplate(template, [full], { timeLimitMs: -1, retryTimeLimitMs: -1 });
    expect(slow.map((p) => [p.part, p.message])).toEqual((['subject', 'html', 'text'] as const).map((part) => [part, 'the template took longer than -1 ms to render']));
  });

  it('calls the template’s own errors template failures', () => {
    const broken = { ...template, text: '{{ candidate.name | no_such_filter }}' };
    expect(isTemplateFailure(thrown(() => renderTemplate(broken, full)))).toBe(true);
  });
});

describe('renderTemplateInPieces', () => {
  const { full, minimal } = sampleContexts('en', 'https://hearback.example');

  it.each(supportedLocales.flatMap((locale) => builtInMessageKinds.map((kind) => [locale, kind] as const)))(
    '%s %s renders as renderTemplate does, its HTML part the pieces joined',
    (locale, kind) => {
      const template = defaultTemplate(kind, locale)!;
      for (const sample of Object.values(sampleContexts(locale, 'https://hearback.example'))) {
        const { content, htmlPieces } = renderTemplateInPieces(template, sample);
        expect(content).toEqual(renderTemplate(template, sample));
        expect(htmlPieces.join('')).toBe(content.html);
      }
    },
  );

  it('writes outputs that are not text as LiquidJS does', () => {
    const template = {
      subject: 's',
      html: '{{ feedback.competencies.first.rating }}|{{ status.expectedDecisionDate }}|{{ feedback.strengths }}|{{ feedback.nextSteps.talentPoolInvite }}',
      text: 't',
    };
    const { content, htmlPieces } = renderTemplateInPieces(template, full);
    expect(content.html).toBe(renderTemplate(template, full).html);
    expect(htmlPieces.join('')).toBe(content.html);
  });

  it('runs out of time, retries and fails as renderTemplate does, keeping only the pieces of the render that finished', () => {
    const template = defaultTemplate('rejection_after_interview', 'en')!;
    expect(() => renderTemplateInPieces(template, full, { timeLimitMs: -1, retryTimeLimitMs: -1 })).toThrow(RenderTimeLimitError);
    const { content, htmlPieces } = renderTemplateInPieces(template, minimal, { timeLimitMs: -1, retryTimeLimitMs: 60_000 });
    expect(htmlPieces.join('')).toBe(content.html);
    const broken = { ...template, html: '{{ candidate.name | no_such_filter }}' };
    expect(isTemplateFailure(thrown(() => renderTemplateInPieces(broken, full)))).toBe(true);
  });
});
