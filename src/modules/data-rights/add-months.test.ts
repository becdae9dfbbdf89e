import { describe, expect, it } from 'vitest';
import { addMonths } from './data-rights.service.js';

describe('addMonths (the one-month deadline, retention periods)', () => {
  it('lands on the same day, or the month’s last day when it has none', () => {
    expect(addMonths(new Date('2026-01-15T10:00:00Z'), 1).toISOString()).toBe('2026-02-15T10:00:00.000Z');
    expect(addMonths(new Date('2026-01-31T23:30:00Z'), 1).toISOString()).toBe('2026-02-28T23:30:00.000Z');
    expect(addMonths(new Date('2028-01-31T00:00:00Z'), 1).toISOString()).toBe('2028-02-29T00:00:00.000Z');
    expect(addMonths(new Date('2026-03-31T12:00:00Z'), -1).toISOString()).toBe('2026-02-28T12:00:00.000Z');
    expect(addMonths(new Date('2026-08-31T00:00:00Z'), -6).toISOString()).toBe('2026-02-28T00:00:00.000Z');
    expect(addMonths(new Date('2026-12-15T00:00:00Z'), 24).toISOString()).toBe('2028-12-15T00:00:00.000Z');
  });
});
