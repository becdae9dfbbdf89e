// The bench's child processes (bench/lib/processes.ts): a failed start names the child's output,
// a child that ignores SIGTERM still ends, nothing starts once the set is closed, and children
// run with the image's NODE_OPTIONS (bench/lib/image.ts).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { imageNodeOptions } from '../../bench/lib/image.js';
import { ChildSet } from '../../bench/lib/processes.js';
import { RUN_MARKER } from '../helpers/process.js';

let dir: string;
const marker = () => ({ [RUN_MARKER]: process.env[RUN_MARKER] ?? '' });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bench-processes-'));
  await writeFile(join(dir, 'fails.mjs'), `console.error('boom: DATABASE_URL is wrong'); process.exit(3);\n`);
  // Ignores SIGTERM, so only the SIGKILL after the grace period ends it.
  // Prints the heap V8 was given, then waits to be stopped.
  await writeFile(join(dir, 'heap.mjs'), `import v8 from 'node:v8'; console.log('heap ' + v8.getHeapStatistics().heap_size_limit); setInterval(() => {}, 1000);\n`);
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

  it('a child runs with the NODE_OPTIONS of the image, read from the Dockerfile', async () => {
    expect(imageNodeOptions('FROM node:24\nENV NODE_ENV=production\nENV NODE_OPTIONS="--max-old-space-size=512"\n')).toBe('--max-old-space-size=512');
    expect(() => imageNodeOptions('FROM node:24\nENV NODE_ENV=production\n')).toThrow(/sets no NODE_OPTIONS/);
    // The image is its last stage: a build stage's options are not the service's.
    expect(() => imageNodeOptions('FROM node:24 AS build\nENV NODE_OPTIONS="--max-old-space-size=4096"\nFROM node:24\nCMD ["node"]\n')).toThrow(/last stage/);
    const oldSpaceMB = Number(/--max-old-space-size=(\d+)/.exec(imageNodeOptions())?.[1]);
    expect(oldSpaceMB).toBeGreaterThan(0);
    const children = new ChildSet();
    try {
      let limit = 0;
      const child = await children.start('heap', join(dir, 'heap.mjs'), {
        env: marker(),
        ready: { line: (l) => l.startsWith('heap ') && (limit = Number(l.slice(5))) > 0 },
      });
      // The old space as the image sets it, plus V8's young generation (tens of MB): not the
      // quarter of this machine's memory Node would take by itself.
      expect(limit / 2 ** 20).toBeGreaterThanOrEqual(oldSpaceMB);
      expect(limit / 2 ** 20).toBeLessThan(oldSpaceMB + 256);
      await children.stop([child]);
    } finally {
      await children.close();
    }
  });
});
