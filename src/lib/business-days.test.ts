import { describe, expect, it } from 'vitest';
import { addBusinessDays, subtractBusinessDays } from './business-days.js';

describe('business days', () => {
  it('skips weekends and keeps the time of day', () => {
    // Thursday + 2 → Monday; Friday + 1 → Monday; Saturday + 1 → Monday; Monday + 5 → Monday.
    expect(addBusinessDays(new Date('2026-12-03T15:30:00Z'), 2).toISOString()).toBe('2026-12-07T15:30:00.000Z');
    expect(addBusinessDays(new Date('2026-12-04T09:00:00Z'), 1).toISOString()).toBe('2026-12-07T09:00:00.000Z');
    expect(addBusinessDays(new Date('2026-12-05T09:00:00Z'), 1).toISOString()).toBe('2026-12-07T09:00:00.000Z');
    expect(addBusinessDays(new Date('2026-12-07T09:00:00Z'), 5).toISOString()).toBe('2026-12-14T09:00:00.000Z');
    expect(addBusinessDays(new Date('2026-12-07T09:00:00Z'), 0).toISOString()).toBe('2026-12-07T09:00:00.000Z');
    // Monday − 1 → Friday; Sunday − 1 → Friday; Monday − 5 → the Monday before.
    expect(subtractBusinessDays(new Date('2026-12-07T09:00:00Z'), 1).toISOString()).toBe('2026-12-04T09:00:00.000Z');
    expect(subtractBusinessDays(new Date('2026-12-06T09:00:00Z'), 1).toISOString()).toBe('2026-12-04T09:00:00.000Z');
    expect(subtractBusinessDays(new Date('2026-12-07T09:00:00Z'), 5).toISOString()).toBe('2026-11-30T09:00:00.000Z');
  });
});

describe('business days in a time zone', () => {
  it('counts the zone’s weekdays and keeps its local time across a daylight-saving change', () => {
    // Friday 18:00 in Paris (CET, UTC+1) is Friday 17:00Z; + 1 business day → Monday 18:00 Paris.
    expect(addBusinessDays(new Date('2027-03-26T17:00:00Z'), 1, 'Europe/Paris').toISOString()).toBe('2027-03-29T16:00:00.000Z'); // CEST, UTC+2
    // Back across the autumn change: Monday 09:00 Paris (CET) − 1 → Friday 09:00 Paris (CEST).
    expect(subtractBusinessDays(new Date('2027-11-01T08:00:00Z'), 1, 'Europe/Paris').toISOString()).toBe('2027-10-29T07:00:00.000Z');
    // Saturday 01:00 in Tokyo is still Friday in UTC: the zone's weekday counts.
    expect(addBusinessDays(new Date('2026-12-04T16:00:00Z'), 1, 'Asia/Tokyo').toISOString()).toBe('2026-12-06T16:00:00.000Z'); // Monday 01:00 Tokyo
    expect(addBusinessDays(new Date('2026-12-04T16:00:00Z'), 1).toISOString()).toBe('2026-12-07T16:00:00.000Z'); // UTC: Friday → Monday
    // New York's spring change is on a Sunday: Friday 02:30 EST + 1 → Monday 02:30 EDT.
    expect(addBusinessDays(new Date('2027-03-12T07:30:00Z'), 1, 'America/New_York').toISOString()).toBe('2027-03-15T06:30:00.000Z'); // Fri 02:30 EST → Mon 02:30 EDT
  });

  it('reads a local time the change skips as after the gap', () => {
    // Jerusalem moves its clocks on a Friday: 2027-03-26 02:00 → 03:00. Thursday 02:30 + 1 → Friday 03:30.
    expect(addBusinessDays(new Date('2027-03-25T00:30:00Z'), 1, 'Asia/Jerusalem').toISOString()).toBe('2027-03-26T00:30:00.000Z');
    // And the day after the gap keeps 02:30 again: Thursday + 2 → Monday 02:30 (UTC+3).
    expect(addBusinessDays(new Date('2027-03-25T00:30:00Z'), 2, 'Asia/Jerusalem').toISOString()).toBe('2027-03-28T23:30:00.000Z');
  });
});
