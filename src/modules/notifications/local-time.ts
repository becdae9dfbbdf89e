// A person's wall clock: the local date and hour of an instant in their time zone, and the instant
// a local date's hour begins (DST-proof without a time-zone library).
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let found = formatters.get(timeZone);
  if (!found) {
    found = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, found);
  }
  return found;
}

/** A stored zone that Intl no longer knows reads as UTC rather than stopping the sweep. */
const usable = (timeZone: string) => {
  try {
    formatter(timeZone);
    return timeZone;
  } catch {
    return 'UTC';
  }
};

function parts(at: Date, timeZone: string) {
  const values = Object.fromEntries(
    formatter(usable(timeZone))
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return {
    year: Number(values.year),
    month: Number(values.month),
    day: Number(values.day),
    hour: Number(values.hour),
    minute: Number(values.minute),
    second: Number(values.second),
  };
}

/** `YYYY-MM-DD` and the hour, on the person's clock. */
export function localClock(at: Date, timeZone: string): { date: string; hour: number } {
  const p = parts(at, timeZone);
  return { date: `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`, hour: p.hour };
}

/** The instant the local `date` reaches `hour` in `timeZone`. */
export function localHourAt(date: string, hour: number, timeZone: string): Date {
  const [year = 1970, month = 1, day = 1] = date.split('-').map(Number);
  const wanted = Date.UTC(year, month - 1, day, hour);
  let guess = wanted;
  // Twice: the offset at the first guess may differ from the one at the answer across a DST change.
  for (let i = 0; i < 2; i++) {
    const p = parts(new Date(guess), timeZone);
    const offset = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - guess;
    guess = wanted - offset;
  }
  return new Date(guess);
}
