// Debian's Chromium for the browser tests, driven by playwright-core: installed on first use when
// we may (CI runs as root), never downloaded by Playwright.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

export async function ensureChromium(): Promise<void> {
  if (existsSync(CHROMIUM)) return;
  if (process.getuid?.() !== 0) throw new Error(`Chromium is missing: run "apt-get install -y chromium" (as root) for the browser tests`);
  await promisify(execFile)('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], { timeout: 600_000 });
}

/** Headless, without the sandbox (containers) or the GPU, and without any background traffic. */
export const launchChromium = (): Promise<Browser> =>
  chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
