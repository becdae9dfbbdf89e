import { describe, expect, it } from 'vitest';
import { negotiateLocale, pageLocale, parseAcceptLanguage, shippedLanguage } from './locale.js';

describe('shippedLanguage', () => {
  it.each([
    ['fr', 'fr'],
    ['fr-CA', 'fr'],
    ['DE-at', 'de'],
    ['es_MX', 'es'],
    [' en-GB ', 'en'],
    ['pl-PL', null],
    ['pt-BR', 'pt'],
    ['', null],
    [null, null],
    [undefined, null],
  ] as const)('%j → %j', (tag, expected) => {
    expect(shippedLanguage(tag)).toBe(expected);
  });
});

describe('parseAcceptLanguage', () => {
  it('orders by weight, keeping the header order for equal weights', () => {
    expect(parseAcceptLanguage('en;q=0.5, fr-CA, de;q=0.9, es')).toEqual([
      { tag: 'fr-ca', q: 1 },
      { tag: 'es', q: 1 },
      { tag: 'de', q: 0.9 },
      { tag: 'en', q: 0.5 },
    ]);
  });

  it('drops q=0 (not acceptable), malformed weights and malformed tags', () => {
    expect(parseAcceptLanguage('fr;q=0, de;q=abc, es;q=1.5, it;q=0.000, <script>, en-US;q=0.3')).toEqual([{ tag: 'en-us', q: 0.3 }]);
  });

  it('accepts spaces and case around parameters', () => {
    expect(parseAcceptLanguage(' DE-de ; Q=0.7 ,fr')).toEqual([
      { tag: 'fr', q: 1 },
      { tag: 'de-de', q: 0.7 },
    ]);
  });

  it('reads nothing from an empty or missing header', () => {
    expect(parseAcceptLanguage('')).toEqual([]);
    expect(parseAcceptLanguage(undefined)).toEqual([]);
    expect(parseAcceptLanguage(null)).toEqual([]);
  });

  it('stays cheap on a hostile header', () => {
    expect(parseAcceptLanguage('x,'.repeat(200_000) + 'fr').length).toBeLessThanOrEqual(30);
  });
});

describe('negotiateLocale', () => {
  it.each([
    ['fr-CA', 'fr'],
    ['fr-CA,fr;q=0.9,en;q=0.8', 'fr'],
    ['en-US;q=0.1, fr;q=0.2', 'fr'],
    ['pl-PL, es;q=0.5, en;q=0.4', 'es'],
    ['ja, de-CH;q=0.2', 'de'],
    ['es, fr', 'es'],
    ['fr;q=0, es;q=0.1', 'es'],
    ['*', null],
    ['pl, ja', null],
    ['', null],
  ] as const)('%j → %j', (header, expected) => {
    expect(negotiateLocale(header)).toBe(expected);
  });
});

describe('pageLocale', () => {
  it('prefers the candidate’s own locale when we ship it', () => {
    expect(pageLocale('de-AT', 'fr, en')).toBe('de');
  });

  it('falls back on Accept-Language when the candidate’s locale is not shipped or unknown', () => {
    expect(pageLocale('pl-PL', 'pl, es;q=0.8')).toBe('es');
    expect(pageLocale(null, 'fr-CA')).toBe('fr');
  });

  it('falls back on English last', () => {
    expect(pageLocale(null, null)).toBe('en');
    expect(pageLocale('ja', 'ja, zh;q=0.5')).toBe('en');
  });
});
