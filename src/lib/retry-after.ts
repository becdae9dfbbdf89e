// Retry-After (RFC 9110 §10.2.3): delay-seconds or an HTTP date. One reading for every client
// that honours it (Postmark, webhook endpoints), capped so a hostile or broken header cannot
// park work for days.

/** At most an hour, unless the caller says otherwise. */
const DEFAULT_CAP_MS = 3_600_000;

/** The delay a Retry-After value asks for, in ms; null when absent or unreadable. */
export function retryAfterMs(value: string | string[] | null | undefined, now: Date = new Date(), capMs = DEFAULT_CAP_MS): number | null {
  const header = Array.isArray(value) ? value[0] : value;
  if (typeof header !== 'string') return null;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Math.min(Number(text) * 1000, capMs);
  // Only the date forms: Date.parse alone would read "5.5" or "-1" as dates.
  if (!/[a-z]/i.test(text)) return null;
  const date = Date.parse(text);
  return Number.isNaN(date) ? null : Math.min(Math.max(0, date - now.getTime()), capMs);
}
