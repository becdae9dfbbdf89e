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
