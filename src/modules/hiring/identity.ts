// Identity normalisation: what "the same email" and "the same phone" mean when we look for
// duplicate candidate records, and what an email address may look like. Pure functions; the
// checks, the identity links, suppressions and every schema that takes an address rely on them.
import { domainToASCII } from 'node:url';
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';

/** Soft hyphens, zero-width spaces and joiners, BOMs, variation selectors...: never part of an address. */
const INVISIBLE = /\p{Default_Ignorable_Code_Point}/gu;
/** Full stops UTS #46 reads as dots in a domain (NFKC already folds the full-width one). */
const IDEOGRAPHIC_STOPS = /[\u3002\uff0e\uff61]/g;
const NON_ASCII = /[^\x00-\x7f]/;
const DOMAIN_TEXT = /^[\p{L}\p{M}\p{N}.-]+$/u;

/**
 * The address as a person meant it: NFKC (full-width and other compatibility forms folded),
 * invisible characters dropped, trimmed, and the domain without its trailing dot(s). Case and
 * Unicode are kept: this is what is stored for display and sending.
 */
export function cleanEmail(raw: string): string {
  const text = raw.normalize('NFKC').replace(INVISIBLE, '').trim();
  const at = text.lastIndexOf('@');
  if (at < 0) return text;
  // Spaces before the trailing dots are trailing too once the dots go ("a@b. ." is "a@b").
  return `${text.slice(0, at)}@${text
    .slice(at + 1)
    .replace(IDEOGRAPHIC_STOPS, '.')
    .replace(/[.\s]+$/u, '')}`;
}

/**
 * What "the same email" means for identity matching: the cleaned address in lower case, with an
 * internationalised domain in its one canonical form, ASCII (`bücher.example` and
 * `xn--bcher-kva.example` match) — the form mail systems and Postmark's webhooks use. Total: any
 * text gets a value (ATS data is normalised as given).
 */
export function normalizeEmail(raw: string): string {
  // Lower case as case folding has it: a final sigma is a sigma (toLowerCase writes ς at a word's end).
  const text = cleanEmail(raw).toLowerCase().normalize('NFKC').replaceAll('ς', 'σ');
  const at = text.lastIndexOf('@');
  if (at < 0) return text;
  const domain = text.slice(at + 1);
  // domainToASCII parses a URL host (it would stop at a `/`), and answers '' for what IDNA
  // refuses: only label characters go through it, and a refused domain is kept as it is.
  const ascii = NON_ASCII.test(domain) && DOMAIN_TEXT.test(domain) ? domainToASCII(domain).replace(/\.+$/, '') : '';
  return ascii ? `${text.slice(0, at)}@${ascii}` : text;
}

const ATEXT = "[\\p{L}\\p{M}\\p{N}!#$%&'*+\\-/=?^_`{|}~]";
const LOCAL_PART = new RegExp(`^${ATEXT}+(\\.${ATEXT}+)*$`, 'u');
const LABEL = /^[\p{L}\p{M}\p{N}](?:[\p{L}\p{M}\p{N}-]{0,61}[\p{L}\p{M}\p{N}])?$/u;
const utf8Length = (text: string) => Buffer.byteLength(text, 'utf8');

/**
 * A mailbox as RFC 5321/6531 write it, the practical subset: a dot-atom local part (letters of
 * any script, digits and `!#$%&'*+-/=?^_\`{|}~`; no quotes, brackets, spaces or empty atoms), `@`,
 * and a domain of at least two labels (letters of any script, digits, inner hyphens; an IDN must
 * pass IDNA; the top label is not all digits). Judged on the cleaned address.
 */
export function isMailbox(address: string): boolean {
  const at = address.lastIndexOf('@');
  if (at < 1 || address.length > 320) return false;
  const local = address.slice(0, at);
  const domain = address.slice(at + 1);
  if (utf8Length(local) > 64 || !LOCAL_PART.test(local)) return false;
  const labels = domain.split('.');
  if (labels.length < 2 || !labels.every((label) => LABEL.test(label)) || /^\d+$/.test(labels.at(-1)!)) return false;
  const ascii = NON_ASCII.test(domain) ? domainToASCII(domain) : domain;
  return ascii !== '' && ascii.length <= 253 && ascii.split('.').every((label) => label.length <= 63);
}

/** E.164 (`+33612345678`), or null when the number cannot be a real one. */
export function normalizePhone(raw: string, defaultCountry?: string): string | null {
  const parsed = parsePhoneNumberFromString(raw.trim(), defaultCountry as CountryCode | undefined);
  return parsed?.isValid() ? parsed.number : null;
}
