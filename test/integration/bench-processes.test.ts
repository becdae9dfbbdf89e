// The bench's child processes (bench/lib/processes.ts): a failed start names the child's output,
// a child that ignores SIGTERM still ends, and nothing starts once the set is closed.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChildSet } from '../../bench/lib/processes.js';
import { RUN_MARKER } from '../helpers/process.js';

let dir: string;
const marker = () => ({ [RUN_MARKER]: process.env[RUN_MARKER] ?? '' });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bench-processes-'));
  await writeFile(join(dir, 'fails.mjs'), `console.error('boom: DATABASE_URL is wrong'); process.exit(3);\n`);
  // Ignores SIGTERM, so only the SIGKILL after the grace period ends it.
  await writeFile(join(dir, 'stubborn.mjs'), `process.on('SIGTERM', () => {}); console.log('ready'); setInterval(() => {}, 1000);\n`);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('bench child processes', () => {
  it('a child that exits before it is ready fails the start with its output', async () => {
    const children = new ChildSet();
    await expect(children.start('fails', join(dir, 'fails.mjs'), { env: marker(), ready: { line: (l) => l === 'ready' } })).rejects.toThrow(
      /fails exited \(code 3.*before it was ready[\s\S]*boom: DATABASE_URL is wrong/,
    );
    await children.close();
  });

  it('a child that ignores SIGTERM is killed, and nothing starts after close', async () => {
    const children = new ChildSet();
    const child = await children.start('stubborn', join(dir, 'stubborn.mjs'), { env: marker(), ready: { line: (l) => l === 'ready' } });
    child.assertRunning();
    await child.stop(200);
    expect(() => child.assertRunning()).toThrow(/stubborn exited \(code null, signal SIGKILL\)/);
    await children.close();
    await expect(children.start('late', join(dir, 'stubborn.mjs'), { env: marker(), ready: { line: (l) => l === 'ready' } })).rejects.toThrow(/torn down/);
  });
});
