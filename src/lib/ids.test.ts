import { describe, expect, it, vi } from 'vitest';
import { v7 as uuidv7, validate, version } from 'uuid';
import { newId } from './ids.js';

describe('newId', () => {
  it('makes valid, unique UUID v7s that sort in the order they were made, across many pool refills', () => {
    const ids = Array.from({ length: 20_000 }, () => newId());
    for (const id of ids.slice(0, 50)) {
      expect(validate(id)).toBe(true);
      expect(version(id)).toBe(7);
    }
    expect(new Set(ids).size).toBe(ids.length);
    for (let i = 1; i < ids.length; i++) expect(ids[i]! > ids[i - 1]!).toBe(true);
  });

  it('carries the time in its first 48 bits, like the uuid package', () => {
    const before = Date.now();
    const id = newId();
    const after = Date.now();
    const msecs = parseInt(id.replace(/-/g, '').slice(0, 12), 16);
    expect(msecs).toBeGreaterThanOrEqual(before);
    expect(msecs).toBeLessThanOrEqual(after);
    expect(uuidv7().length).toBe(id.length);
  });

  it('draws fresh random bits for every id (no two ids share their random tail)', () => {
    const tails = new Set(Array.from({ length: 5_000 }, () => newId().slice(-12)));
    expect(tails.size).toBe(5_000);
  });

  // Last: the mocked clock runs ahead of the real one, and ids made after it carry its time.
  it('keeps its order within one millisecond and when the clock goes back', () => {
    const clock = vi.spyOn(Date, 'now');
    try {
      clock.mockReturnValue(1_800_000_000_000);
      const same = Array.from({ length: 600 }, () => newId());
      clock.mockReturnValue(1_799_999_999_000);
      const back = Array.from({ length: 10 }, () => newId());
      const all = [...same, ...back];
      for (let i = 1; i < all.length; i++) expect(all[i]! > all[i - 1]!).toBe(true);
      expect(new Set(all).size).toBe(all.length);
    } finally {
      clock.mockRestore();
    }
  });
});
