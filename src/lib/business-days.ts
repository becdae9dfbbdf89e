// Business days for promises ("a decision within 5 business days"): Monday to Friday in a time
// zone (the candidate's; UTC when unknown), keeping the local time of day across daylight-saving
// changes. Public holidays differ per country and are not guessed.

interface WallClock {
  year: number;
  /** 1–12. */
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The zone's calendar date and time of day at an instant. */
function wallClock(at: Date, timeZone: string): WallClock {
  const parts = Object.fromEntries(
    formatter(timeZone)
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
    millisecond: at.getUTCMilliseconds(),
  };
}

const asUtc = (w: WallClock) => Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second, w.millisecond);

/**
 * The instant the zone's clocks show `w`. A time skipped by a spring-forward change comes out
 * after the gap (as clocks would read it); a repeated time takes its first occurrence.
 */
function instantOf(w: WallClock, timeZone: string): Date {
  const target = asUtc(w);
  const offsetAt = (t: number) => asUtc(wallClock(new Date(t), timeZone)) - t;
  // The offsets in force half a day either side: a change lies between them, if any.
  const before = target - offsetAt(target - 43_200_000);
  const after = target - offsetAt(target + 43_200_000);
  const shows = (t: number) => asUtc(wallClock(new Date(t), timeZone)) === target;
  const valid = [before, after].filter(shows);
  if (valid.length > 0) return new Date(Math.min(...valid));
  // Skipped by the change: read with the offset before it, which lands after the gap.
  return new Date(before);
}

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
