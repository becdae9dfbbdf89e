// Builds the web app (web/dist) when it is missing or older than its sources: `npm run demo` and
// the browser tests call ensureWebBuilt(), so `npm ci && npm run demo` serves an app at /app
// without making every install pay for a build. `npm run web:build` builds unconditionally.
import { execFile } from 'node:child_process';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const WEB = fileURLToPath(new URL('.', import.meta.url));
const ROOT = join(WEB, '..');
const SOURCES = ['src', 'index.html', 'vite.config.ts', 'tsconfig.json', '../package-lock.json'];

async function newest(path: string): Promise<number> {
  const info = await stat(path).catch(() => null);
  if (!info) return 0;
  if (!info.isDirectory()) return info.mtimeMs;
  const entries = await readdir(path);
  return Math.max(info.mtimeMs, ...(await Promise.all(entries.map((entry) => newest(join(path, entry))))));
}

/** Whether web/dist is missing or older than a source file. */
export async function webBuildIsStale(): Promise<boolean> {
  const built = await stat(join(WEB, 'dist', 'index.html')).catch(() => null);
  if (!built) return true;
  const sources = Math.max(...(await Promise.all(SOURCES.map((source) => newest(join(WEB, source))))));
  return sources > built.mtimeMs;
}

export async function buildWeb(): Promise<void> {
  await promisify(execFile)(process.execPath, [join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', join(WEB, 'vite.config.ts'), '--logLevel', 'warn'], {
    cwd: ROOT,
    // Always the production build: called from the tests and the demo, whose NODE_ENV (test,
    // development) would otherwise give React's development bundle, three times the size.
    env: { ...process.env, NODE_ENV: 'production' },
    timeout: 300_000,
  });
}

export async function ensureWebBuilt(log: (line: string) => void = () => {}): Promise<void> {
  if (!(await webBuildIsStale())) return;
  log('building the web app (web/dist)…');
  await buildWeb();
}
