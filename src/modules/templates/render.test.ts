import { describe, expect, it } from 'vitest';
import { builtInMessageKinds } from '../decisions/decisions.schemas.js';
import { sampleContexts, supportedLocales } from './context.js';
import { defaultTemplate } from './defaults.js';
import { checkTemplate, renderTemplate } from './render.js';

describe('shipped templates', () => {
  it.each(supportedLocales.flatMap((locale) => builtInMessageKinds.map((kind) => [locale, kind] as const)))(
    '%s %s passes the same check a save does',
    (locale, kind) => {
      const template = defaultTemplate(kind, locale);
      expect(template, `defaults/${locale}/${kind}.*.liquid`).toBeDefined();
      const { full, minimal } = sampleContexts(locale, 'https://hearback.example');
      expect(checkTemplate(template!, [full, minimal])).toEqual([]);
      const rendered = renderTemplate(template!, full);
      expect(rendered.subject).toContain('Senior Backend Engineer');
      expect(rendered.html).not.toMatch(/{{|{%/);
    },
  );
});
