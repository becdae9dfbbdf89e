import { describe, expect, it } from 'vitest';
import { supportedLocales, type SupportedLocale } from '../../templates/context.js';
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

  it.each([
    ['fr', /(^|[^\p{L}])(tu|te|toi|ton|ta|tes)(?=$|[^\p{L}])/iu, 'Merci pour ta candidature'],
    ['de', /(^|[^\p{L}])(du|dich|dir|dein|deine|deinen|deinem|deiner)(?=$|[^\p{L}])/iu, 'Danke für deine Bewerbung'],
    ['es', /(^|[^\p{L}])(tú|tu|tus|te|ti|contigo|tienes|puedes|quieres)(?=$|[^\p{L}])/iu, 'Gracias por tu candidatura'],
    ['it', /(^|[^\p{L}])(tu|tua|tuo|tuoi|tue|ti|puoi|devi|vuoi|hai)(?=$|[^\p{L}])/iu, 'Grazie per la tua candidatura'],
    ['nl', /(^|[^\p{L}])(je|jij|jou|jouw|alsjeblieft)(?=$|[^\p{L}])/iu, 'Bedankt voor je sollicitatie'],
  ] as const)('%s addresses the candidate formally', (locale, informal, informalSample) => {
    expect(informalSample).toMatch(informal);
    for (const [key, text] of leaves(pageStrings(locale))) expect(text, key).not.toMatch(informal);
  });

  it.each([
    // "su", "le", "tiene", "puede" are also third person (el equipo puede...): usted is told by forms that are not.
    [
      'es',
      /(^|[^\p{L}])(usted|escriba|pregúntenos|vuelva|espere|revíselo|dedicó|recibió|necesita|responda|podrá|ha valorado|se ha unido)(?=$|[^\p{L}])/iu,
      'Si necesita ayuda, responda al correo',
    ],
    ['de', /(^|[^\p{L}])(Sie|Ihr|Ihre|Ihren|Ihrem|Ihrer|Ihres|Ihnen)(?=$|[^\p{L}])/u, 'Wenn Sie Hilfe brauchen'],
    ['fr', /(^|[^\p{L}])(vous|votre|vos|souhaitez|pouvez|avez|revenez|posez|répondez|contactez|dites)(?=$|[^\p{L}])/iu, 'Si vous avez besoin d’aide'],
    ['it', /(^|[^\p{L}])(lei|sua|suo|suoi|sue|può|deve|desidera|attenda|riprovi|gentile)(?=$|[^\p{L}])/iu, 'Se desidera aiuto, attenda'],
    ['nl', /(^|[^\p{L}])(u|uw|alstublieft|hebt u|kunt u|wilt u)(?=$|[^\p{L}])/iu, 'Hebt u hulp nodig'],
  ] as const)('%s informal never slips into the formal register, apart from the first-person consent', (locale, formal, formalSample) => {
    expect(formalSample).toMatch(formal);
    for (const [key, text] of leaves(pageStrings(locale, 'informal'))) expect(text, key).not.toMatch(formal);
    expect(pageStrings(locale, 'informal').talentPool.consent).toBe(pageStrings(locale).talentPool.consent);
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
