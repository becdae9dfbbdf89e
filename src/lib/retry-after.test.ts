import { describe, expect, it } from 'vitest';
import { retryAfterMs } from './retry-after.js';

describe('retryAfterMs', () => {
  const now = new Date('2026-11-22T10:00:00Z');

  it('reads delay-seconds', () => {
    expect(retryAfterMs('120', now)).toBe(120_000);
    expect(retryAfterMs(' 0 ', now)).toBe(0);
    expect(retryAfterMs(['7', '9'], now)).toBe(7_000);
  });

  it('reads an HTTP date, never into the past', () => {
    expect(retryAfterMs('Sun, 22 Nov 2026 10:01:30 GMT', now)).toBe(90_000);
    expect(retryAfterMs('Sun, 22 Nov 2026 09:00:00 GMT', now)).toBe(0);
  });

  it('caps what it is asked to wait', () => {
    expect(retryAfterMs('999999', now)).toBe(3_600_000);
    expect(retryAfterMs('Mon, 30 Nov 2026 10:00:00 GMT', now, 60_000)).toBe(60_000);
  });

  it('is null for what is not a Retry-After value', () => {
    for (const value of [undefined, null, '', '-1', '1.5', 'soon', '12abc', []]) expect(retryAfterMs(value as never, now)).toBeNull();
  });
});
