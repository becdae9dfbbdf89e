import { describe, expect, it } from 'vitest';
import { canonicalTimeZone, knownTimeZoneNames } from './time-zones.js';

const formats = (timeZone: string) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
};

describe('canonicalTimeZone', () => {
  it('accepts current names the runtime leaves out of its list, and old aliases, under their current name', () => {
    expect(canonicalTimeZone('Asia/Kolkata')).toBe('Asia/Kolkata');
    expect(canonicalTimeZone('Asia/Calcutta')).toBe('Asia/Kolkata');
    expect(canonicalTimeZone('asia/kolkata')).toBe('Asia/Kolkata');
    expect(canonicalTimeZone('Europe/Kyiv')).toBe('Europe/Kyiv');
    expect(canonicalTimeZone('Europe/Kiev')).toBe('Europe/Kyiv');
    expect(canonicalTimeZone('US/Pacific')).toBe('America/Los_Angeles');
    expect(canonicalTimeZone('America/Buenos_Aires')).toBe('America/Argentina/Buenos_Aires');
    expect(canonicalTimeZone('UTC')).toBe('Etc/UTC');
    expect(canonicalTimeZone('Etc/UTC')).toBe('Etc/UTC');
  });

  it('refuses what is not a zone name, and offsets', () => {
    for (const bad of ['Mars/Olympus', '', '+05:30', 'UTC+2', '../etc/passwd', 'Europe/Paris ', 'x'.repeat(65)]) {
      expect(canonicalTimeZone(bad), bad).toBeNull();
    }
  });

  it('maps every name or alias the runtime can format to a name the runtime can format, idempotently', () => {
    const names = knownTimeZoneNames().filter(formats);
    expect(names.length).toBeGreaterThan(400);
    for (const name of names) {
      const canonical = canonicalTimeZone(name);
      expect(canonical, name).not.toBeNull();
      expect(formats(canonical!), `${name} → ${canonical}`).toBe(true);
      expect(canonicalTimeZone(canonical!), name).toBe(canonical);
      // Same clock: the stored name tells the same local time as the one given.
      const at = new Date('2026-07-01T12:00:00Z');
      const local = (tz: string) => new Intl.DateTimeFormat('en-US', { timeZone: tz, dateStyle: 'short', timeStyle: 'short' }).format(at);
      expect(local(canonical!), `${name} → ${canonical}`).toBe(local(name));
    }
  });
});
