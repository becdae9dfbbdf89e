// Time zone names as people and ATSs write them: every IANA name or alias the runtime can format
// is accepted, and stored under its current IANA name. The runtime alone cannot say which name is
// current: Node 20's ICU resolves Asia/Kolkata to the old Asia/Calcutta and leaves Asia/Kolkata,
// Europe/Kyiv and Etc/UTC out of Intl.supportedValuesOf. The IANA links come from
// countries-and-timezones, which follows each tzdb release.
import { getAllTimezones } from 'countries-and-timezones';

const byLowerName = new Map(Object.values(getAllTimezones({ deprecated: true })).map((zone) => [zone.name.toLowerCase(), zone]));

/** Names only: an offset such as +05:30 says nothing about daylight saving time. */
const ZONE_NAME = /^[A-Za-z][A-Za-z0-9_+\-/]{0,63}$/;

function formatted(timeZone: string): string | null {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

/** The current IANA name of a zone the runtime can format (case-insensitive), or null. */
export function canonicalTimeZone(name: string): string | null {
  if (!ZONE_NAME.test(name)) return null;
  const resolved = formatted(name);
  if (resolved === null) return null;
  const zone = byLowerName.get(name.toLowerCase()) ?? byLowerName.get(resolved.toLowerCase());
  const current = zone ? (zone.aliasOf ?? zone.name) : resolved;
  // A name newer than the runtime's ICU stays as the runtime knows it, so it can still be formatted.
  return formatted(current) === null ? resolved : current;
}

/** Every zone name and alias known to the tz data or the runtime (for tests and pickers). */
export const knownTimeZoneNames = (): string[] => [...new Set([...[...byLowerName.values()].map((zone) => zone.name), ...Intl.supportedValuesOf('timeZone')])].sort();
