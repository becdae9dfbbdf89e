import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

/**
 * True when the module at `moduleUrl` is the script Node was started with. Resolves symlinks
 * (a `current -> releases/N` deploy) and percent-encoding (paths with spaces) on both sides.
 */
export function isMain(moduleUrl: string): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return pathToFileURL(realpathSync(entry)).href === pathToFileURL(realpathSync(new URL(moduleUrl))).href;
  } catch {
    return false;
  }
}
