// The bench's child processes run as the image runs the service (Dockerfile): compiled JavaScript
// (tsc, as `npm run build` makes it) and the image's NODE_OPTIONS. Under `--import tsx` a process
// also carries the loader: its hooks thread is a second V8 isolate, and every module's source is
// held with an inline source map. That is ~20 MB of RSS no deployed process has, and the memory
// scenarios report RSS. The V8 options matter more: see the Dockerfile.
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Where builds go (git ignores it): one directory per bench process, so two runs at once never share one. */
const BUILDS = `${ROOT}bench/.build/`;
const RUN_PREFIX = 'run-';

/**
 * The NODE_OPTIONS the image runs the service with: the `ENV … NODE_OPTIONS="…"` line of the
 * Dockerfile's last stage (the one the image is made of), read from it so the two cannot drift
 * apart.
 */
export function imageNodeOptions(dockerfile = readFileSync(`${ROOT}Dockerfile`, 'utf8')): string {
  const lines = dockerfile.split('\n');
  const lastStage = lines.findLastIndex((line) => /^FROM\s/i.test(line));
  const options = /^ENV\b.*\bNODE_OPTIONS="([^"]*)"/m.exec(lines.slice(lastStage + 1).join('\n'))?.[1];
  if (options === undefined) throw new Error('The Dockerfile\'s last stage sets no NODE_OPTIONS="…" (ENV): the bench runs the service with the options the image runs it with');
  return options;
}

/** Whether a process is still running (signal 0 only checks). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

let build: Promise<string> | undefined;

/**
 * tsc over the entry points in bench/tsconfig.children.json (and everything they import), once per
 * bench process, into a directory of its own: emitted without a type check (`--noCheck`), so a
 * type error elsewhere in a half-finished tree fails `npm test`, not the bench. Builds left by
 * runs that are gone are removed first; this one's is removed when the process exits.
 */
function buildOnce(): Promise<string> {
  build ??= new Promise<string>((resolve, reject) => {
    mkdirSync(BUILDS, { recursive: true });
    for (const entry of readdirSync(BUILDS)) {
      const pid = Number(entry.slice(RUN_PREFIX.length));
      if (!entry.startsWith(RUN_PREFIX) || !Number.isInteger(pid) || !alive(pid)) rmSync(`${BUILDS}${entry}`, { recursive: true, force: true });
    }
    const out = `${BUILDS}${RUN_PREFIX}${process.pid}/`;
    process.once('exit', () => rmSync(out, { recursive: true, force: true }));
    const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
    // tsc with Node's own defaults, not the heap the service is pinned to.
    const env = { ...process.env, NODE_OPTIONS: '' };
    execFile(
      process.execPath,
      [tsc, '-p', `${ROOT}bench/tsconfig.children.json`, '--outDir', out, '--noCheck'],
      { cwd: ROOT, env, maxBuffer: 16 * 2 ** 20 },
      (error, stdout, stderr) => {
        if (error) return reject(new Error(`compiling the bench's child processes failed:\n${`${stdout}${stderr}`.slice(-3000)}`));
        // As `npm run build` does: the default templates are read from beside their module.
        cpSync(`${ROOT}src/modules/templates/defaults`, `${out}src/modules/templates/defaults`, { recursive: true });
        resolve(out);
      },
    );
  });
  return build;
}

/**
 * The compiled form of `entry` (a path from the repository root, `.ts`), built on first use. The
 * entry must be one of bench/tsconfig.children.json's files.
 */
export async function compiledEntry(entry: string): Promise<string> {
  if (!entry.endsWith('.ts')) throw new Error(`compiledEntry: ${entry} is not a TypeScript entry point`);
  const out = await buildOnce();
  const compiled = `${out}${entry.slice(0, -'.ts'.length)}.js`;
  if (!existsSync(compiled)) throw new Error(`compiledEntry: ${entry} is not among bench/tsconfig.children.json's files`);
  return compiled;
}
