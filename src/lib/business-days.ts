// Business days for promises ("a decision within 5 business days"): Monday to Friday, counted in
// UTC. Public holidays differ per country and are not guessed.
const DAY_MS = 86_400_000;

/** `days` business days before `from`, at the same time of day. */
export function subtractBusinessDays(from: Date, days: number): Date {
  let at = from.getTime();
  let left = days;
  while (left > 0) {
    at -= DAY_MS;
    const weekday = new Date(at).getUTCDay();
    if (weekday !== 0 && weekday !== 6) left--;
  }
  return new Date(at);
}

/** `days` business days after `from`, at the same time of day. */
export function addBusinessDays(from: Date, days: number): Date {
  let at = from.getTime();
  let left = days;
  while (left > 0) {
    at += DAY_MS;
    const weekday = new Date(at).getUTCDay();
    if (weekday !== 0 && weekday !== 6) left--;
  }
  return new Date(at);
}
