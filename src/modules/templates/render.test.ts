import { describe, expect, it } from 'vitest';
import { builtInMessageKinds } from '../decisions/decisions.schemas.js';
import { sampleContexts, supportedLocales } from './context.js';
import { defaultTemplate } from './defaults.js';
import { checkTemplate, isTemplateFailure, RenderTimeLimitError, renderTemplate } from './render.js';

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
    let caught: unknown;
    try {
      renderTemplate(broken, full);
    } catch (error) {
      caught = error;
    }
    expect(isTemplateFailure(caught)).toBe(true);
  });
});
