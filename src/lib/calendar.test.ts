import { describe, expect, it } from 'vitest';
import { addMonthsIn } from './calendar.js';

describe('calendar months in a time zone', () => {
  it('keeps the local day and time, or takes the month’s last day', () => {
    // 31 January 23:30 in Tokyo is 14:30Z; a month later there is 28 February 23:30 Tokyo.
    expect(addMonthsIn(new Date('2027-01-31T14:30:00Z'), 1, 'Asia/Tokyo').toISOString()).toBe('2027-02-28T14:30:00.000Z');
    // In UTC the same instant is still 31 January: 28 February 14:30Z as well, by another road.
    expect(addMonthsIn(new Date('2027-01-31T14:30:00Z'), 1).toISOString()).toBe('2027-02-28T14:30:00.000Z');
    // 1 March 00:30 in Paris is 28 February 23:30Z; six months back in Paris is 1 September 00:30 (CEST), in UTC 28 August.
    expect(addMonthsIn(new Date('2027-02-28T23:30:00Z'), -6, 'Europe/Paris').toISOString()).toBe('2026-08-31T22:30:00.000Z');
    expect(addMonthsIn(new Date('2027-02-28T23:30:00Z'), -6).toISOString()).toBe('2026-08-28T23:30:00.000Z');
    // Across the spring change: 15 March 09:00 Paris (CET) + 1 month → 15 April 09:00 (CEST).
    expect(addMonthsIn(new Date('2027-03-15T08:00:00Z'), 1, 'Europe/Paris').toISOString()).toBe('2027-04-15T07:00:00.000Z');
  });
});
