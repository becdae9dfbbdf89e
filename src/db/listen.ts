// A dedicated LISTEN connection that reconnects by itself. `connected` tells callers whether
// they may rely on notifications right now (the API key cache serves nothing while it is false).
import pg from 'pg';
import type { Logger } from 'pino';

export interface PgListener {
  readonly connected: boolean;
  close(): Promise<void>;
}

export interface ListenOptions {
  databaseUrl: string;
  channel: string;
  onNotify(payload: string): void;
  /** Called on every (re)connection: notifications sent while disconnected were lost. */
  onReconnect?(): void;
  logger: Logger;
  applicationName: string;
  retryMs?: number;
}

export function listen(options: ListenOptions): PgListener {
  const { databaseUrl, channel, onNotify, logger } = options;
  let client: pg.Client | undefined;
  let connected = false;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;

  const connect = async () => {
    if (closed) return;
    const next = new pg.Client({ connectionString: databaseUrl, application_name: options.applicationName });
    next.on('notification', (message) => {
      if (message.channel === channel) onNotify(message.payload ?? '');
    });
    next.on('error', (error) => {
      // Losing the connection costs latency (or caching), never correctness: reconnect.
      logger.warn({ err: error, channel }, 'LISTEN connection lost; reconnecting');
      connected = false;
      next.end().catch(() => {});
      schedule();
    });
    try {
      await next.connect();
      await next.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      if (closed) {
        await next.end();
        return;
      }
      client = next;
      connected = true;
      options.onReconnect?.();
    } catch (error) {
      logger.warn({ err: error, channel }, 'LISTEN unavailable; retrying');
      await next.end().catch(() => {});
      schedule();
    }
  };
  const schedule = () => {
    if (closed || retry) return;
    retry = setTimeout(() => {
      retry = undefined;
      void connect();
    }, options.retryMs ?? 1_000);
    retry.unref();
  };

  void connect();
  return {
    get connected() {
      return connected;
    },
    async close() {
      closed = true;
      connected = false;
      clearTimeout(retry);
      await client?.end().catch(() => {});
    },
  };
}
