// Unit checks for the pieces of the fake that are easy to get subtly wrong:
// the latency distribution, fault bookkeeping and address parsing.

import { describe, expect, it } from 'vitest';
import { parseAddressList } from './addresses.js';
import { FaultInjector, pathMatches } from './faults.js';
import { seededRandom as seeded } from '../helpers/random.js';

const quantile = (sorted: number[], q: number): number => sorted[Math.floor(q * (sorted.length - 1))] ?? NaN;

describe('FaultInjector', () => {
  it('fits a log-normal to p50 and p99', () => {
    const faults = new FaultInjector(seeded(42));
    faults.setLatency({ p50Ms: 40, p99Ms: 400 });
    const samples = Array.from({ length: 20_000 }, () => faults.latencyFor('/email')).sort((a, b) => a - b);
    expect(quantile(samples, 0.5)).toBeGreaterThan(36);
    expect(quantile(samples, 0.5)).toBeLessThan(44);
    expect(quantile(samples, 0.99)).toBeGreaterThan(340);
    expect(quantile(samples, 0.99)).toBeLessThan(470);
    expect(samples.every((s) => s > 0)).toBe(true);
  });

  it('limits latency to its path', () => {
    const faults = new FaultInjector();
    faults.setLatency({ fixedMs: 5, path: '/email/batch' });
    expect(faults.latencyFor('/email/batch')).toBe(5);
    expect(faults.latencyFor('/email')).toBe(0);
  });

  it('counts down "next N" failures and drops, then forgets them', () => {
    const faults = new FaultInjector();
    faults.failNext(2, 429);
    expect(faults.takeFailure('/email')).toEqual({ status: 429, retryAfterSeconds: 1 });
    expect(faults.takeFailure('/email')).toEqual({ status: 429, retryAfterSeconds: 1 });
    expect(faults.takeFailure('/email')).toBeUndefined();
    faults.dropNext(1, { path: '/email' });
    expect(faults.takeDrop('/email/batch')).toBe(false);
    expect(faults.takeDrop('/email')).toBe(true);
    expect(faults.takeDrop('/email')).toBe(false);
    expect(faults.snapshot()).toEqual({ latency: null, failures: [], drops: [] });
  });

  it('fails at roughly the asked probability', () => {
    const faults = new FaultInjector(seeded(7));
    faults.failWithProbability(0.3, 503);
    const failed = Array.from({ length: 10_000 }, () => faults.takeFailure('/email')).filter(Boolean).length;
    expect(failed).toBeGreaterThan(2_700);
    expect(failed).toBeLessThan(3_300);
  });

  it('refuses nonsense', () => {
    const faults = new FaultInjector();
    expect(() => faults.setLatency({ p50Ms: 100, p99Ms: 50 })).toThrow(RangeError);
    expect(() => faults.failNext(0, 429)).toThrow(RangeError);
    expect(() => faults.failWithProbability(1.5, 500)).toThrow(RangeError);
  });

  it('matches paths exactly or by a trailing *', () => {
    expect(pathMatches('/email', '/email/batch')).toBe(false);
    expect(pathMatches('/messages/*', '/messages/outbound')).toBe(true);
    expect(pathMatches(undefined, '/anything')).toBe(true);
  });
});

describe('parseAddressList', () => {
  it('reads plain, named and quoted addresses', () => {
    expect(parseAddressList('a@x.com, Bea <b@x.com>, "Doe, Jo" <jo@x.com>', 'To')).toEqual({
      ok: true,
      addresses: [
        { Email: 'a@x.com', Name: '' },
        { Email: 'b@x.com', Name: 'Bea' },
        { Email: 'jo@x.com', Name: 'Doe, Jo' },
      ],
    });
  });

  it.each([
    ['nobody', "Illegal email address 'nobody'"],
    ['a b@x.com', "Illegal email mailbox 'a b@x.com'"],
    ['a@x_y.com', "Illegal email domain 'a@x_y.com'"],
  ])('rejects %s', (value, message) => {
    const parsed = parseAddressList(value, 'To');
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.message).toContain(message);
  });
});
