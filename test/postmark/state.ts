// What one running fake remembers: captured messages, faults, suppressed
// recipients and the tokens it accepts. Routes read it; tests and the control
// endpoints change it.

import type { FaultInjector } from './faults.js';
import type { MessageStore } from './store.js';

/**
 * Recipients Postmark would refuse with ErrorCode 406. Any address whose local part
 * starts with "inactive" is always on it, so a test or demo can trigger the refusal
 * without configuring anything.
 */
export class InactiveList {
  readonly #initial: readonly string[];
  #addresses: Set<string>;

  constructor(initial: readonly string[] = []) {
    this.#initial = initial.map((a) => a.trim().toLowerCase());
    this.#addresses = new Set(this.#initial);
  }

  add(...addresses: string[]): void {
    for (const a of addresses) this.#addresses.add(a.trim().toLowerCase());
  }

  clear(): void {
    this.#addresses.clear();
  }

  /** Back to the addresses given at start-up. */
  reset(): void {
    this.#addresses = new Set(this.#initial);
  }

  list(): string[] {
    return [...this.#addresses];
  }

  has(address: string): boolean {
    const normalised = address.trim().toLowerCase();
    return this.#addresses.has(normalised) || normalised.startsWith('inactive');
  }
}

export interface FakeState {
  store: MessageStore;
  faults: FaultInjector;
  inactive: InactiveList;
  /** null: any non-empty token is accepted. */
  tokens: ReadonlySet<string> | null;
  /** API requests received, answered or not: a sign that a client is at work. */
  requests: number;
  /** The same, by path (`/email/batch`). */
  requestsByPath: Map<string, number>;
}
