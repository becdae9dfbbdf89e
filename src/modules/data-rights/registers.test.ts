// The data-rights emails and pages speak one register: a formal text never says tu/du/tú/tu/je,
// an informal one never vous/Sie/usted/Lei/u, in every language that ships both; languages with
// one register read the same whatever the organization chose.
import { describe, expect, it } from 'vitest';
import { registerMarkers } from '../../../test/helpers/registers.js';
import { supportedLocales, type SupportedLocale } from '../templates/context.js';
import { defaultFormality, type Formality } from '../templates/formality.js';
import { confirmationEmail, renewalEmail } from './emails.js';
import type { ExportBundle } from './export.js';
import { exportHtml } from './export-html.js';
import { confirmPage, readyPage, renewedPage, renewPage } from './export-pages.js';

const empty: ExportBundle = {
  format: 'hearback.export.v1',
  generatedAt: '2026-12-06T12:00:00.000Z',
  organization: { name: 'Northwind' },
  candidates: [],
  applications: [],
  decisions: [],
  messages: [],
  pageEvents: [],
  questions: [],
  ratings: [],
  talentPoolConsents: [],
  dataRequests: [],
};
const until = new Date('2026-12-07T12:00:00Z');

/** Every text a candidate reads on the way to their data or their renewed consent, as plain words. */
function everything(locale: SupportedLocale, formality: Formality): Record<string, string> {
  const words = (markup: string) => markup.replace(/<[^>]*>/g, ' ').replace(/&[a-z#0-9]+;/gi, ' ');
  const confirmation = confirmationEmail(locale, formality, 'Northwind', 'https://hearback.test/f/export/t');
  const renewal = renewalEmail(locale, formality, 'Northwind', until, 'https://hearback.test/f/talent-pool/renew/t');
  return {
    'confirmation email': `${confirmation.subject}\n${confirmation.text}\n${words(confirmation.html)}`,
    'renewal email': `${renewal.subject}\n${renewal.text}\n${words(renewal.html)}`,
    'confirm page': words(confirmPage(locale, formality, 'Northwind', '/f/export/t')),
    'ready page': words(readyPage(locale, formality, { html: '/h', json: '/j' }, until)),
    // The consent itself is first person and recorded word for word: not the page's to reword.
    'renew page': words(renewPage(locale, formality, '·', '/f/talent-pool/renew/t')),
    'renewed page': words(renewedPage(locale, formality)),
    'export page': words(exportHtml(empty, locale, formality, '/j')),
  };
}

describe('data-rights emails and pages', () => {
  const twoRegisters = Object.entries(registerMarkers) as [SupportedLocale, (typeof registerMarkers)['de']][];

  it.each(twoRegisters)('%s formal never says the informal you', (locale, { informal, informalSample }) => {
    expect(informalSample).toMatch(informal);
    for (const [what, text] of Object.entries(everything(locale, 'formal'))) expect(text.match(informal)?.[0], what).toBeUndefined();
  });

  it.each(twoRegisters)('%s informal never says the formal you', (locale, { formal, formalSample }) => {
    expect(formalSample).toMatch(formal);
    for (const [what, text] of Object.entries(everything(locale, 'informal'))) expect(text.match(formal)?.[0], what).toBeUndefined();
  });

  it.each(twoRegisters)('%s informal differs from formal in every text that addresses the candidate', (locale) => {
    const formal = everything(locale, 'formal');
    const informal = everything(locale, 'informal');
    for (const what of ['confirmation email', 'renewal email', 'confirm page', 'ready page', 'renew page', 'renewed page', 'export page'])
      expect(informal[what], what).not.toBe(formal[what]);
  });

  it.each(supportedLocales.filter((locale) => !(locale in defaultFormality)))('%s has one register: informal reads as formal', (locale) => {
    expect(everything(locale, 'informal')).toEqual(everything(locale, 'formal'));
  });

  it('puts the company, the date and the link in every language and register', () => {
    for (const locale of supportedLocales)
      for (const formality of ['formal', 'informal'] as const) {
        const renewal = renewalEmail(locale, formality, 'Northwind', until, 'https://hearback.test/r');
        expect(renewal.subject + renewal.text, `${locale} ${formality}`).toMatch(/Northwind[\s\S]*2026-12-07[\s\S]*https:\/\/hearback\.test\/r/);
        expect(renewal.text, `${locale} ${formality}`).not.toMatch(/\{\w+\}/);
        const confirmation = confirmationEmail(locale, formality, 'Northwind', 'https://hearback.test/c');
        expect(confirmation.text, `${locale} ${formality}`).toMatch(/Northwind[\s\S]*https:\/\/hearback\.test\/c/);
      }
  });
});
