// What every section needs to write: the words in the page's language, its dates, and how an
// organization's or candidate's inline words are isolated inside a translated sentence.
import type { SupportedLocale } from '../../templates/context.js';
import type { Formality } from '../../templates/formality.js';
import { html, type SafeHtml } from './html.js';
import { pageStrings, type PageStrings, type PluralForms } from './strings.js';

export interface View {
  locale: SupportedLocale;
  t: PageStrings;
  /** A date as `<time>`, in the page's language and the candidate's time zone. */
  date: (value: Date) => SafeHtml;
  /** A count as the page's language writes it (2,000 / 2 000 / 2.000). */
  number: (value: number) => string;
  /** The form for a count, by the language's plural rules (English one/other, and so on). */
  plural: (forms: PluralForms, count: number) => string;
}

// Building an Intl formatter costs more than rendering the rest of the page: one per language
// and time zone, kept (a few thousand at most: four languages × the IANA zones).
const formats = new Map<string, { dates: Intl.DateTimeFormat; numbers: Intl.NumberFormat }>();
const pluralRules = new Map<SupportedLocale, Intl.PluralRules>();
const FORMATS_KEPT = 5_000;

export function formatsFor(locale: SupportedLocale, timeZone: string | null) {
  const key = `${locale}|${timeZone ?? 'UTC'}`;
  let kept = formats.get(key);
  if (!kept) {
    let dates: Intl.DateTimeFormat;
    try {
      dates = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: timeZone ?? 'UTC' });
    } catch {
      // An unknown time zone is not worth a broken page: the day in UTC is at most one off.
      dates = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' });
    }
    if (formats.size >= FORMATS_KEPT) formats.clear(); // only ever reached with made-up zones
    formats.set(key, (kept = { dates, numbers: new Intl.NumberFormat(locale) }));
  }
  return kept;
}

export function view(locale: SupportedLocale, timeZone: string | null, formality: Formality = 'formal'): View {
  const { dates, numbers } = formatsFor(locale, timeZone);
  return {
    locale,
    t: pageStrings(locale, formality),
    date: (value) => (Number.isNaN(value.getTime()) ? html`` : html`<time datetime="${value.toISOString()}">${dates.format(value)}</time>`),
    number: (value) => numbers.format(value),
    plural: (forms, count) => {
      let rules = pluralRules.get(locale);
      if (!rules) pluralRules.set(locale, (rules = new Intl.PluralRules(locale)));
      return forms[rules.select(count)] ?? forms.other;
    },
  };
}

/**
 * Someone else's words inside one of our sentences (a name, a company, a role): `<bdi>` keeps
 * their direction, and any stray bidi control in them, from reordering the sentence around.
 */
export const isolate = (text: string): SafeHtml => html`<bdi>${text}</bdi>`;

// The WHATWG "valid e-mail address": only such an address becomes a mailto: link.
const emailAddress = /^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/;

/** An address as a mailto: link, or as plain text when it is not a valid address. */
export const emailLink = (address: string): SafeHtml => (emailAddress.test(address) ? html`<a href="mailto:${address}">${isolate(address)}</a>` : isolate(address));
