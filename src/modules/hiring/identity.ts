// Identity normalisation: what "the same email" and "the same phone" mean when we look for
// duplicate candidate records. Pure functions; the checks and the identity links rely on them.
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';

/** Trimmed, Unicode NFC, lower case. `Jane.Doe@Example.com ` and `jane.doe@example.com` match. */
export function normalizeEmail(raw: string): string {
  return raw.trim().normalize('NFC').toLowerCase();
}

/**
 * A deliberately lenient address check (one @, something on both sides, a dot in the domain,
 * no spaces): ATS data contains unusual but deliverable addresses, and Postmark is the final
 * judge of deliverability.
 */
export function isPlausibleEmail(raw: string): boolean {
  const email = raw.trim();
  return email.length <= 320 && /^[^\s@]+@[^\s@]+\.[^\s@]+$/u.test(email);
}

/** E.164 (`+33612345678`), or null when the number cannot be a real one. */
export function normalizePhone(raw: string, defaultCountry?: string): string | null {
  const parsed = parsePhoneNumberFromString(raw.trim(), defaultCountry as CountryCode | undefined);
  return parsed?.isValid() ? parsed.number : null;
}
