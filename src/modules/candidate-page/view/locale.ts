// Which of the shipped languages the candidate's page speaks: the candidate's own locale when
// we ship it, else the browser's best acceptable choice (Accept-Language), else English. Only
// the language counts: we ship `fr`, so `fr-CA` and `fr-BE` read French.
import { supportedLocales, type SupportedLocale } from '../../templates/context.js';

// A header is read up to this many characters and entries: enough for any real browser,
// and a hostile one costs nothing.
const maxHeaderLength = 1_000;
const maxEntries = 30;
const languageTag = /^(?:[a-z]{1,8}(?:-[a-z0-9]{1,8})*|\*)$/;

/** The shipped language of a BCP 47 tag (`fr-CA` → `fr`), or null when we do not ship it. */
export function shippedLanguage(tag: string | null | undefined): SupportedLocale | null {
  const language = (tag ?? '').trim().toLowerCase().replaceAll('_', '-').split('-')[0] ?? '';
  return (supportedLocales as readonly string[]).includes(language) ? (language as SupportedLocale) : null;
}

export interface AcceptedLanguage {
  tag: string;
  q: number;
}

/**
 * An Accept-Language header as tags with their weights, most wanted first (equal weights
 * keep the header's order). Malformed entries and `q=0` (not acceptable) are dropped.
 */
export function parseAcceptLanguage(header: string | null | undefined): AcceptedLanguage[] {
  if (!header) return [];
  const entries: (AcceptedLanguage & { order: number })[] = [];
  for (const [order, raw] of header.slice(0, maxHeaderLength).split(',').slice(0, maxEntries).entries()) {
    const [tagPart, ...params] = raw.split(';');
    const tag = (tagPart ?? '').trim().toLowerCase().replaceAll('_', '-');
    if (!languageTag.test(tag)) continue;
    const q = weight(params);
    if (q === null || q === 0) continue;
    entries.push({ tag, q, order });
  }
  return entries.sort((a, b) => b.q - a.q || a.order - b.order).map(({ tag, q }) => ({ tag, q }));
}

/** `q=0.8` → 0.8; no q → 1; a malformed q → null (the entry is ignored). */
function weight(params: string[]): number | null {
  const qParam = params.map((param) => param.trim().toLowerCase()).find((param) => param.startsWith('q='));
  if (qParam === undefined) return 1;
  const value = qParam.slice(2).trim();
  if (!/^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/.test(value)) return null;
  return Number(value);
}

/** The shipped language the header prefers most, or null when it accepts none of them. */
export function negotiateLocale(header: string | null | undefined): SupportedLocale | null {
  for (const { tag } of parseAcceptLanguage(header)) {
    const language = shippedLanguage(tag);
    if (language) return language;
  }
  return null;
}

/** The page's language: the candidate's locale if shipped, else Accept-Language, else English. */
export function pageLocale(candidateLocale: string | null | undefined, acceptLanguage: string | null | undefined): SupportedLocale {
  return shippedLanguage(candidateLocale) ?? negotiateLocale(acceptLanguage) ?? 'en';
}
