// What every section needs to write: the words in the page's language, its dates, and how an
// organization's or candidate's inline words are isolated inside a translated sentence.
import type { SupportedLocale } from '../../templates/context.js';
import { html, type SafeHtml } from './html.js';
import { pageStrings, type PageStrings } from './strings.js';

export interface View {
  locale: SupportedLocale;
  t: PageStrings;
  /** A date as `<time>`, in the page's language and the candidate's time zone. */
  date: (value: Date) => SafeHtml;
  /** A count as the page's language writes it (2,000 / 2 000 / 2.000). */
  number: (value: number) => string;
}

function dateFormat(locale: SupportedLocale, timeZone: string | null): Intl.DateTimeFormat {
  try {
    return new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: timeZone ?? 'UTC' });
  } catch {
    // An unknown time zone is not worth a broken page: the day in UTC is at most one off.
    return new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' });
  }
}

export function view(locale: SupportedLocale, timeZone: string | null): View {
  const format = dateFormat(locale, timeZone);
  const numbers = new Intl.NumberFormat(locale);
  return {
    locale,
    t: pageStrings(locale),
    date: (value) =>
      Number.isNaN(value.getTime()) ? html`` : html`<time datetime="${value.toISOString()}">${format.format(value)}</time>`,
    number: (value) => numbers.format(value),
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
export const emailLink = (address: string): SafeHtml =>
  emailAddress.test(address) ? html`<a href="mailto:${address}">${isolate(address)}</a>` : isolate(address);
