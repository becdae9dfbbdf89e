import { describe, expect, it } from 'vitest';
import { supportedLocales } from '../../templates/context.js';
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

describe('page strings', () => {
  it.each(supportedLocales)('%s has exactly the keys English has', (locale) => {
    expect(leaves(pageStrings(locale)).map(([key]) => key)).toEqual([...english.keys()]);
  });

  it.each(supportedLocales)('%s has no empty or untrimmed text', (locale) => {
    for (const [key, text] of leaves(pageStrings(locale))) {
      expect(text.trim(), key).not.toBe('');
      if (key !== 'because') expect(text, key).toBe(text.trim());
    }
  });

  it.each(supportedLocales)('%s uses the same placeholders as English', (locale) => {
    for (const [key, text] of leaves(pageStrings(locale))) {
      const allowed = freePlaceholders[key];
      if (allowed) {
        expect(placeholders(text).length, key).toBeGreaterThan(0);
        for (const name of placeholders(text)) expect(allowed, key).toContain(name);
      } else {
        expect(placeholders(text).sort(), key).toEqual(placeholders(english.get(key) ?? '').sort());
      }
    }
  });

  it.each(supportedLocales)('%s numbers the rating scale 1 to 5', (locale) => {
    expect(pageStrings(locale).rating.scale.map((label) => label.charAt(0))).toEqual(['1', '2', '3', '4', '5']);
  });

  it.each([
    ['fr', /(^|[^\p{L}])(tu|te|toi|ton|ta|tes)(?=$|[^\p{L}])/iu, 'Merci pour ta candidature'],
    ['de', /(^|[^\p{L}])(du|dich|dir|dein|deine|deinen|deinem|deiner)(?=$|[^\p{L}])/iu, 'Danke für deine Bewerbung'],
    ['es', /(^|[^\p{L}])(tú|tu|tus|te|ti|contigo|tienes|puedes|quieres)(?=$|[^\p{L}])/iu, 'Gracias por tu candidatura'],
  ] as const)('%s addresses the candidate formally', (locale, informal, informalSample) => {
    expect(informalSample).toMatch(informal);
    for (const [key, text] of leaves(pageStrings(locale))) expect(text, key).not.toMatch(informal);
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
