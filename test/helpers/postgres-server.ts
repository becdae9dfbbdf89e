// A throwaway PostgreSQL cluster on its own port, to stop and restart under running workers
// without disturbing the shared server other test files use. Built with the machine's own
// binaries; as root it runs them as the `postgres` user (the server refuses to run as root).
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { inject } from 'vitest';
import { RUN_MARKER } from './process.js';
import { freePort } from './redis-server.js';

const run = promisify(execFile);

async function binaries(): Promise<string> {
  const versions = (await readdir('/usr/lib/postgresql')).sort((a, b) => Number(b) - Number(a));
  if (versions.length === 0) throw new Error('no PostgreSQL binaries under /usr/lib/postgresql');
  return `/usr/lib/postgresql/${versions[0]}/bin`;
}

export interface DisposablePostgres {
  /** postgresql://postgres@127.0.0.1:<port>/<database> */
  url(database: string): string;
  start(): Promise<void>;
  /** `immediate`: like a crash, connections are cut without a goodbye. */
  stop(): Promise<void>;
  destroy(): Promise<void>;
}

export async function disposablePostgres(): Promise<DisposablePostgres> {
  const bin = await binaries();
  const port = await freePort();
  const root = await mkdtemp(join(tmpdir(), 'hb-pg-'));
  const data = join(root, 'data');
  const asRoot = process.getuid?.() === 0;
  const exec = async (tool: string, args: string[]) => {
    const [file, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', join(bin, tool), ...args]] : [join(bin, tool), args];
    // The server pg_ctl starts is not our child (it daemonizes): the run's mark in its
    // environment is what lets test/global-setup.ts find it if this process dies first.
    await run(file as string, argv as string[], { env: { ...process.env, [RUN_MARKER]: inject('runId') } });
  };
  if (asRoot) await run('chown', ['postgres', root]);
  await exec('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
  const options = `-p ${port} -k ${root} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`;
  return {
    url: (database) => `postgresql://postgres@127.0.0.1:${port}/${database}`,
    start: () => exec('pg_ctl', ['-D', data, '-o', options, '-w', '-t', '600', 'start', '-l', join(root, 'log')]),
    stop: () => exec('pg_ctl', ['-D', data, '-m', 'immediate', '-w', '-t', '600', 'stop']),
    async destroy() {
      await exec('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => {});
      await rm(root, { recursive: true, force: true });
    },
  };
}
