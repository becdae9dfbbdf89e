// A local HTTP server that speaks the part of Postmark's API Hearback uses, for
// tests, benchmarks and the demo. Start one per test file (port 0 picks a free
// port) and point the official client at it with `fake.clientOptions`.

import type { AddressInfo } from 'node:net';
import { buildPostmarkApp } from './app.js';
import { FaultInjector } from './faults.js';
import { InactiveList, type FakeState } from './state.js';
import { MessageStore, type CapturedMessage } from './store.js';

export type { CapturedMessage } from './store.js';
export type { FailureOptions, FailureStatus, FaultInjector, FaultSnapshot, LatencySpec } from './faults.js';

export interface PostmarkFakeOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0: a free port. */
  port?: number;
  /** Accepted X-Postmark-Server-Token values; by default any non-empty token is accepted. */
  serverToken?: string | string[];
  logger?: boolean;
  /** Recipients refused with ErrorCode 406, besides any address starting with "inactive". */
  inactiveRecipients?: string[];
  /** Randomness for probabilistic faults and latency; pass a seeded one for reproducible runs. */
  random?: () => number;
}

export interface PostmarkFake {
  /** http://host:port */
  readonly url: string;
  readonly port: number;
  /** host:port, for the postmark client's `requestHost`. */
  readonly requestHost: string;
  /** Ready-made options for `new ServerClient(token, fake.clientOptions)`. */
  readonly clientOptions: { useHttps: false; requestHost: string };
  /** Change faults between or during requests; `reset()` clears them. */
  readonly faults: FaultInjector;
  /** Accepted messages, oldest first, with every field Postmark received. */
  messages(): CapturedMessage[];
  /**
   * API requests received since the start (or `reset()`), whatever their answer; with a path
   * (`/email/batch`), those to it. Counted on arrival, before any latency: a request counted after
   * `faults.setLatency` is delayed by the new latency.
   */
  requests(path?: string): number;
  /** Adds recipients that sends are refused for (ErrorCode 406). */
  markInactive(...addresses: string[]): void;
  /** Clears captured messages and faults, and restores the start-up inactive list. */
  reset(): void;
  close(): Promise<void>;
}

export async function startPostmarkServer(options: PostmarkFakeOptions = {}): Promise<PostmarkFake> {
  const tokens = options.serverToken === undefined ? null : [options.serverToken].flat();
  if (tokens !== null && (tokens.length === 0 || tokens.some((t) => t.trim() === ''))) {
    throw new Error('serverToken must be a non-empty token or a non-empty list of them');
  }
  const state: FakeState = {
    store: new MessageStore(),
    faults: new FaultInjector(options.random),
    inactive: new InactiveList(options.inactiveRecipients),
    tokens: tokens === null ? null : new Set(tokens.map((t) => t.trim())),
    requests: 0,
    requestsByPath: new Map(),
  };
  const app = buildPostmarkApp(state, { logger: options.logger ?? false });
  const host = options.host ?? '127.0.0.1';
  await app.listen({ host, port: options.port ?? 0 });
  const { port } = app.server.address() as AddressInfo;
  const hostForUrl = host.includes(':') ? `[${host}]` : host;
  const requestHost = `${hostForUrl}:${port}`;

  return {
    url: `http://${requestHost}`,
    port,
    requestHost,
    clientOptions: { useHttps: false, requestHost },
    faults: state.faults,
    messages: () => state.store.all(),
    requests: (path) => (path === undefined ? state.requests : (state.requestsByPath.get(path) ?? 0)),
    markInactive: (...addresses) => state.inactive.add(...addresses),
    reset: () => {
      state.requests = 0;
      state.requestsByPath.clear();
      state.store.clear();
      state.faults.clear();
      state.inactive.reset();
    },
    close: () => app.close(),
  };
}
