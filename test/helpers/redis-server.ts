// A throwaway redis-server on its own port, to stop and restart under a running app.
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import { endProcess, spawnTracked } from './process.js';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

export interface DisposableRedis {
  url: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export async function disposableRedis(): Promise<DisposableRedis> {
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  return {
    url,
    async start() {
      child = spawnTracked('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
        stdio: 'ignore',
      });
      const probe = new Redis(url, { lazyConnect: true, retryStrategy: () => 50, maxRetriesPerRequest: null });
      probe.on('error', () => {});
      await probe.connect().catch(() => {});
      await probe.ping();
      probe.disconnect();
    },
    async stop() {
      if (child) await endProcess(child, 'SIGKILL');
    },
  };
}
