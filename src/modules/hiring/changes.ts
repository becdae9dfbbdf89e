// Field-level change detection for create-or-update: an update that changes nothing writes
// nothing and logs nothing, which is what makes repeated ATS deliveries idempotent.

const same = (a: unknown, b: unknown): boolean =>
  a instanceof Date && b instanceof Date ? a.getTime() === b.getTime() : a === b;

/** The fields of `next` whose values differ from `current` (undefined in `next` = keep). */
export function changedFields<T extends object>(current: T, next: Partial<T>): Partial<T> {
  const changes: Partial<T> = {};
  for (const key of Object.keys(next) as (keyof T)[]) {
    const value = next[key];
    if (value !== undefined && !same(current[key], value)) changes[key] = value;
  }
  return changes;
}

/** The values `changes` replaces, for the audit log's `before`. */
export function previousValues<T extends object>(current: T, changes: Partial<T>): Partial<T> {
  return Object.fromEntries(Object.keys(changes).map((key) => [key, current[key as keyof T]])) as Partial<T>;
}
