// The bench's child processes run as the image runs the service (Dockerfile): compiled JavaScript
// (tsc, as `npm run build` makes it) and the image's NODE_OPTIONS. Under `--import tsx` a process
// also carries the loader: its hooks thread is a second V8 isolate, and every module's source is
// held with an inline source map. That is ~20 MB of RSS no deployed process has, and the memory
// scenarios report RSS. The V8 options matter more: see the Dockerfile.
import { execFile } from 'node:child_process';
import { cpSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** bench/tsconfig.children.json writes here (git ignores it); rebuilt by each bench process on first use. */
const OUT = `${ROOT}bench/.build/`;

/** The NODE_OPTIONS the image sets (`ENV NODE_OPTIONS="…"` in the Dockerfile), read from it so the two cannot drift apart. */
export function imageNodeOptions(dockerfile = readFileSync(`${ROOT}Dockerfile`, 'utf8')): string {
  const options = /^ENV\b.*\bNODE_OPTIONS="([^"]*)"/m.exec(dockerfile)?.[1];
  if (options === undefined) throw new Error('The Dockerfile sets no NODE_OPTIONS="…": the bench runs its child processes with the options the image runs the service with');
  return options;
}

let build: Promise<void> | undefined;

/** tsc over the entry points in bench/tsconfig.children.json (and everything they import), once per process. */
function buildOnce(): Promise<void> {
  build ??= new Promise<void>((resolve, reject) => {
    rmSync(OUT, { recursive: true, force: true });
    const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
    execFile(process.execPath, [tsc, '-p', `${ROOT}bench/tsconfig.children.json`], { cwd: ROOT, maxBuffer: 16 * 2 ** 20 }, (error, stdout, stderr) => {
      if (error) return reject(new Error(`compiling the bench's child processes failed:\n${`${stdout}${stderr}`.slice(-3000)}`));
      // As `npm run build` does: the default templates are read from beside their module.
      cpSync(`${ROOT}src/modules/templates/defaults`, `${OUT}src/modules/templates/defaults`, { recursive: true });
      resolve();
    });
  });
  return build;
}

/**
 * The compiled form of `entry` (a path from the repository root, `.ts`), built on first use. The
 * entry must be one of bench/tsconfig.children.json's files.
 */
export async function compiledEntry(entry: string): Promise<string> {
  if (!entry.endsWith('.ts')) throw new Error(`compiledEntry: ${entry} is not a TypeScript entry point`);
  await buildOnce();
  return `${OUT}${entry.slice(0, -'.ts'.length)}.js`;
}
