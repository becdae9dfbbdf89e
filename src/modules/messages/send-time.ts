// When an approved message may go out: after the organization's undo window, and for
// rejections not within N hours of the last interview and only in business hours in the
// candidate's time zone (a rejection at 2 a.m. or minutes after an interview feels careless).
export interface SendPolicy {
  undoWindowMinutes: number;
  sendHourStart: number;
  sendHourEnd: number;
  sendWeekdaysOnly: boolean;
  hoursAfterInterview: number;
}

export interface SendTimeInput {
  approvedAt: Date;
  isRejection: boolean;
  lastInterviewAt: Date | null;
  timezone: string | null;
}

const QUARTER_HOUR = 15 * 60_000;

/** Building a formatter is the expensive part; one per time zone serves every approval. */
const formatters = new Map<string, Intl.DateTimeFormat>();

function localParts(at: Date, timeZone: string): { weekday: number; hour: number } {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: 'numeric', hourCycle: 'h23' });
    formatters.set(timeZone, formatter);
  }
  const parts = formatter.formatToParts(at);
  const weekday = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(parts.find((p) => p.type === 'weekday')!.value);
  return { weekday, hour: Number(parts.find((p) => p.type === 'hour')!.value) };
}

export function computeSendAt(input: SendTimeInput, policy: SendPolicy): Date {
  let at = input.approvedAt.getTime() + policy.undoWindowMinutes * 60_000;
  if (!input.isRejection) return new Date(at);
  if (input.lastInterviewAt) at = Math.max(at, input.lastInterviewAt.getTime() + policy.hoursAfterInterview * 3_600_000);
  const timeZone = input.timezone ?? 'UTC';
  const open = (t: number) => {
    const { weekday, hour } = localParts(new Date(t), timeZone);
    return (!policy.sendWeekdaysOnly || (weekday >= 1 && weekday <= 5)) && hour >= policy.sendHourStart && hour < policy.sendHourEnd;
  };
  if (open(at)) return new Date(at);
  // Walk forward on quarter hours (DST-proof without a time-zone library); a week is the most
  // it can take, so the loop is bounded.
  let next = Math.ceil(at / QUARTER_HOUR) * QUARTER_HOUR;
  for (let step = 0; step < 7 * 24 * 4 && !open(next); step++) next += QUARTER_HOUR;
  return new Date(next);
}
