// Calendar arithmetic in a time zone: the zone's wall clock at an instant, the instant a wall
// clock shows, and months added the way people count them there (the same day and time next
// month, or that month's last day), across daylight-saving changes.

export interface WallClock {
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
export function wallClock(at: Date, timeZone: string): WallClock {
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
export function instantOf(w: WallClock, timeZone: string): Date {
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

/** `months` calendar months after `at` (negative: before) in `timeZone`, at the same local time; a day the month lacks becomes its last. */
export function addMonthsIn(at: Date, months: number, timeZone: string | null = 'UTC'): Date {
  const zone = timeZone ?? 'UTC';
  const w = wallClock(at, zone);
  const first = new Date(Date.UTC(w.year, w.month - 1 + months, 1));
  const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  return instantOf({ ...w, year: first.getUTCFullYear(), month: first.getUTCMonth() + 1, day: Math.min(w.day, last) }, zone);
}
