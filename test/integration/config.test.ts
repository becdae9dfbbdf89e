import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { ConfigError, configVariables, loadConfig } from '../../src/config.js';

const production = {
  NODE_ENV: 'production',
  ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
  POSTMARK_WEBHOOK_PASSWORD: 'a-long-enough-password',
  DATABASE_URL: 'postgresql://hearback@db.internal:5432/hearback',
  REDIS_URL: 'redis://cache.internal:6379',
  PUBLIC_BASE_URL: 'https://hearback.example.com',
};

describe('configuration', () => {
  it('has working local defaults for development', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      NODE_ENV: 'development',
      PORT: 3000,
      DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/hearback',
      REDIS_URL: 'redis://127.0.0.1:6379',
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('parses and coerces values', () => {
    const config = loadConfig({ PORT: '8080', TRUST_PROXY: 'true', RATE_LIMIT_PER_MINUTE: '5' });
    expect(config).toMatchObject({ PORT: 8080, TRUST_PROXY: true, RATE_LIMIT_PER_MINUTE: 5 });
  });

  it.each([
    [{ PORT: 'eighty' }, /^invalid configuration: PORT: /],
    [{ DATABASE_URL: 'mysql://localhost/db' }, /DATABASE_URL: must be a postgres/],
    [{ REDIS_URL: 'not a url' }, /REDIS_URL: /],
    [{ ENCRYPTION_KEY: 'c2hvcnQ=' }, /ENCRYPTION_KEY: must be 32 bytes/],
    [{ IDEMPOTENCY_TTL_HOURS: '1' }, /IDEMPOTENCY_TTL_HOURS: must be at least 24/],
    [{ POSTMARK_TIMEOUT_MS: '60000' }, /POSTMARK_TIMEOUT_MS: /],
  ])('refuses %o with one line naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
    try {
      loadConfig(env);
    } catch (error) {
      expect((error as Error).message).not.toContain('\n');
    }
  });

  it('never defaults a secret or a localhost address in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(
      'invalid configuration: ENCRYPTION_KEY: required when NODE_ENV=production; POSTMARK_WEBHOOK_PASSWORD: required when NODE_ENV=production; ' +
        'DATABASE_URL: required when NODE_ENV=production; REDIS_URL: required when NODE_ENV=production; PUBLIC_BASE_URL: required when NODE_ENV=production',
    );
    expect(loadConfig(production)).toMatchObject(production);
  });

  it('starts when launched through a symlink and a path with spaces', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hearback deploy '));
    await symlink(resolve('src'), join(dir, 'current'));
    try {
      const result = spawnSync(process.execPath, ['--import', 'tsx', join(dir, 'current/server.ts')], {
        env: { PATH: process.env.PATH, PORT: 'x' },
        encoding: 'utf8',
        timeout: 30_000,
      });
      // It ran (and refused the bad port) instead of exiting 0 without starting.
      expect(result.status).toBe(1);
      expect(result.stderr).toContain('invalid configuration: PORT');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('moves the public URL with the port in development', () => {
    expect(loadConfig({ PORT: '4100' }).PUBLIC_BASE_URL).toBe('http://localhost:4100');
    expect(loadConfig({ PORT: '4100', PUBLIC_BASE_URL: 'https://hb.example.com' }).PUBLIC_BASE_URL).toBe('https://hb.example.com');
  });

  it('documents every variable in .env.example and in the README, and .env.example loads as it is', async () => {
    const example = await readFile('.env.example', 'utf8');
    const readme = await readFile('README.md', 'utf8');
    const table = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('## Architecture'));
    const assignments = Object.fromEntries(
      example
        .split('\n')
        .filter((line) => /^[A-Z_]+=/.test(line))
        .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
    );
    for (const name of configVariables) {
      expect(assignments, `.env.example lacks ${name}`).toHaveProperty(name);
      expect(table, `README's configuration table lacks ${name}`).toContain(`\`${name}\``);
    }
    expect(Object.keys(assignments).filter((name) => !(configVariables as string[]).includes(name))).toEqual([]);
    expect(() => loadConfig(assignments)).not.toThrow();
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ PORT: '' }).PORT).toBe(3000);
  });

  it.each(['src/server.ts', 'workers/main.ts'])('stops the process (%s) with exit code 1 and one clear line', (entry) => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', entry], {
      env: { PATH: process.env.PATH, PORT: '99999' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toMatch(/^hearback: invalid configuration: PORT: .*65535/);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });
});
