import { describe, expect, it } from 'vitest';
import { supportedLocales, type SupportedLocale } from '../../templates/context.js';
import { registerMarkers } from '../../../../test/helpers/registers.js';
import { defaultFormality, type Formality } from '../../templates/formality.js';
import { placeholders } from './html.js';
import { pageStrings, talentPoolConsentText } from './strings.js';

/** Every leaf of a strings table as [dotted key, text]. */
function leaves(value: unknown, prefix = ''): [string, string][] {
  if (typeof value === 'string') return [[prefix, value]];
  return Object.entries(value as Record<string, unknown>).flatMap(([key, inner]) => leaves(inner, prefix ? `${prefix}.${key}` : key));
}

const english = new Map(leaves(pageStrings('en')));
// Each language greets with the name it uses (German: the full name, formally).
const freePlaceholders: Record<string, string[]> = { 'page.greeting': ['firstName', 'name'] };

// Every table the page can show: each language formally, and informally where it ships that.
const tablesShown: [string, SupportedLocale, Formality][] = [
  ...supportedLocales.map((locale) => [locale, locale, 'formal'] as [string, SupportedLocale, Formality]),
  ...Object.keys(defaultFormality).map((locale) => [`${locale} informal`, locale as SupportedLocale, 'informal'] as [string, SupportedLocale, Formality]),
];

describe('page strings', () => {
  it.each(tablesShown)('%s has exactly the keys English has', (_, locale, formality) => {
    expect(leaves(pageStrings(locale, formality)).map(([key]) => key)).toEqual([...english.keys()]);
  });

  it.each(tablesShown)('%s has no empty or untrimmed text', (_, locale, formality) => {
    for (const [key, text] of leaves(pageStrings(locale, formality))) {
      expect(text.trim(), key).not.toBe('');
      if (key !== 'because') expect(text, key).toBe(text.trim());
    }
  });

  it.each(tablesShown)('%s uses the same placeholders as English', (_, locale, formality) => {
    for (const [key, text] of leaves(pageStrings(locale, formality))) {
      const allowed = freePlaceholders[key];
      if (allowed) {
        expect(placeholders(text).length, key).toBeGreaterThan(0);
        for (const name of placeholders(text)) expect(allowed, key).toContain(name);
      } else {
        expect(placeholders(text).sort(), key).toEqual(placeholders(english.get(key) ?? '').sort());
      }
    }
  });

  it.each(tablesShown)('%s numbers the rating scale 1 to 5', (_, locale, formality) => {
    expect(pageStrings(locale, formality).rating.scale.map((label) => label.charAt(0))).toEqual(['1', '2', '3', '4', '5']);
  });

  const twoRegisters = Object.entries(registerMarkers);

  it.each(twoRegisters)('%s addresses the candidate formally', (locale, { informal, informalSample }) => {
    expect(informalSample).toMatch(informal);
    for (const [key, text] of leaves(pageStrings(locale as SupportedLocale))) expect(text, key).not.toMatch(informal);
  });

  it.each(twoRegisters)('%s informal never slips into the formal register, apart from the first-person consent', (locale, { formal, formalSample }) => {
    expect(formalSample).toMatch(formal);
    for (const [key, text] of leaves(pageStrings(locale as SupportedLocale, 'informal'))) expect(text, key).not.toMatch(formal);
    expect(pageStrings(locale as SupportedLocale, 'informal').talentPool.consent).toBe(pageStrings(locale as SupportedLocale).talentPool.consent);
  });

  it('says the hiring team is helped by a rating, not the candidate ("Les ayuda")', () => {
    expect(pageStrings('es').rating.commentHint).toContain('Les ayuda');
    expect(pageStrings('es', 'informal').rating.commentHint).toContain('Les ayuda');
  });
});

describe('talent-pool consent text', () => {
  it.each(supportedLocales)('%s names the company and keeps no placeholder', (locale) => {
    const text = talentPoolConsentText(locale, 'Northwind');
    expect(text).toContain('Northwind');
    expect(text).not.toMatch(/\{\w+\}/);
  });

  it('puts the name in as written, even with replacement patterns in it', () => {
    expect(talentPoolConsentText('en', 'A$&B $1 <C>')).toContain('A$&B $1 <C>');
  });

  it('differs by language', () => {
    expect(new Set(supportedLocales.map((locale) => talentPoolConsentText(locale, 'N'))).size).toBe(supportedLocales.length);
  });
});
