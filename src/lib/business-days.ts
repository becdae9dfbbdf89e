// Business days for promises ("a decision within 5 business days"): Monday to Friday in a time
// zone (the candidate's; UTC when unknown), keeping the local time of day across daylight-saving
// changes. Public holidays differ per country and are not guessed.
import { instantOf, wallClock } from './calendar.js';

/** Moves `from` by `days` business days (negative: back) in `timeZone`, at the same local time of day. */
function moveBusinessDays(from: Date, days: number, timeZone: string): Date {
  const w = wallClock(from, timeZone);
  const step = days < 0 ? -1 : 1;
  let left = Math.abs(days);
  const date = new Date(Date.UTC(w.year, w.month - 1, w.day));
  while (left > 0) {
    date.setUTCDate(date.getUTCDate() + step);
    const weekday = date.getUTCDay();
    if (weekday !== 0 && weekday !== 6) left--;
  }
  if (days === 0) return from;
  return instantOf({ ...w, year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() }, timeZone);
}

/** `days` business days after `from`, at the same local time of day in `timeZone` (default UTC). */
export const addBusinessDays = (from: Date, days: number, timeZone: string | null = 'UTC'): Date => moveBusinessDays(from, days, timeZone ?? 'UTC');

/** `days` business days before `from`, at the same local time of day in `timeZone` (default UTC). */
export const subtractBusinessDays = (from: Date, days: number, timeZone: string | null = 'UTC'): Date => moveBusinessDays(from, -days, timeZone ?? 'UTC');
