import { describe, expect, it } from 'vitest';
import { computeSendAt, type SendPolicy } from './send-time.js';

const policy: SendPolicy = { undoWindowMinutes: 15, sendHourStart: 9, sendHourEnd: 18, sendWeekdaysOnly: true, hoursAfterInterview: 24 };
const at = (iso: string) => new Date(iso);

describe('send time', () => {
  it('waits the undo window only, for messages that are not rejections', () => {
    expect(computeSendAt({ approvedAt: at('2026-11-21T23:50:00Z'), isRejection: false, lastInterviewAt: null, timezone: 'Europe/Paris' }, policy)).toEqual(
      at('2026-11-22T00:05:00Z'),
    );
  });

  it('sends a rejection approved in business hours after the undo window', () => {
    // Tuesday 10:00 in Paris (UTC+1).
    expect(computeSendAt({ approvedAt: at('2026-11-24T09:00:00Z'), isRejection: true, lastInterviewAt: null, timezone: 'Europe/Paris' }, policy)).toEqual(
      at('2026-11-24T09:15:00Z'),
    );
  });

  it('holds a rejection approved at night until 9:00 in the candidate’s time zone', () => {
    // Tuesday 23:00 in New York → Wednesday 9:00 New York (UTC-5).
    expect(computeSendAt({ approvedAt: at('2026-11-25T04:00:00Z'), isRejection: true, lastInterviewAt: null, timezone: 'America/New_York' }, policy)).toEqual(
      at('2026-11-25T14:00:00Z'),
    );
  });

  it('skips the weekend', () => {
    // Friday 17:55 in Paris: the undo window ends after 18:00 → Monday 9:00.
    expect(computeSendAt({ approvedAt: at('2026-11-27T16:55:00Z'), isRejection: true, lastInterviewAt: null, timezone: 'Europe/Paris' }, policy)).toEqual(
      at('2026-11-30T08:00:00Z'),
    );
  });

  it('waits the hours after the last interview', () => {
    const interview = at('2026-11-24T10:00:00Z');
    expect(computeSendAt({ approvedAt: at('2026-11-24T11:00:00Z'), isRejection: true, lastInterviewAt: interview, timezone: 'UTC' }, policy)).toEqual(at('2026-11-25T10:00:00Z'));
  });

  it('is right across a daylight-saving change', () => {
    // Saturday 28 March 2026, Paris: Monday after the switch to UTC+2 opens at 07:00 UTC.
    expect(computeSendAt({ approvedAt: at('2026-03-28T12:00:00Z'), isRejection: true, lastInterviewAt: null, timezone: 'Europe/Paris' }, policy)).toEqual(
      at('2026-03-30T07:00:00Z'),
    );
  });
});
