// docs/production.md and compose.yaml against the code they describe: the metrics that exist,
// the ATS events the mappers act on, the commands the image builds, the worker's heartbeat.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';

const read = (path: string) => readFile(path, 'utf8');

describe('docs/production.md', () => {
  it('is linked from the README', async () => {
    expect(await read('README.md')).toContain('](docs/production.md)');
  });

  it('lists exactly the metrics src/plugins/metrics.ts registers', async () => {
    const registered = [...(await read('src/plugins/metrics.ts')).matchAll(/name: '(hearback_[a-z_]+)'/g)].map((m) => m[1]!);
    expect(registered.length).toBeGreaterThan(5);
    const docs = await read('docs/production.md');
    const documented = new Set([...docs.matchAll(/`(hearback_[a-z_]+)`/g)].map((m) => m[1]!));
    expect([...documented].filter((name) => !name.startsWith('hearback_process_') && !name.startsWith('hearback_nodejs_')).sort()).toEqual([...registered].sort());
    // Every metric an alert uses exists (histograms expose _count and _bucket).
    for (const [, name] of docs.matchAll(/expr: .*?(hearback_[a-z_]+)/g)) {
      expect(registered, name).toContain(name!.replace(/_(count|bucket|sum)$/, ''));
    }
  });

  it('names, per ATS, every event its mapper acts on', async () => {
    const docs = await read('docs/production.md');
    const section = (from: string, to: string) => docs.slice(docs.indexOf(from), docs.indexOf(to));
    const greenhouse = await read('src/modules/ats-inbound/providers/greenhouse.ts');
    const greenhouseActions = [
      ...[...greenhouse.matchAll(/\['([a-z_]+)', '[a-z_]+'\]/g)].map((m) => m[1]!),
      ...[...greenhouse.matchAll(/case '([a-z_]+)':/g)].map((m) => m[1]!).filter((action) => action !== 'ping'),
    ];
    expect(greenhouseActions.length).toBeGreaterThanOrEqual(10);
    for (const action of greenhouseActions) expect(section('### Greenhouse', '### Lever'), action).toContain(`\`${action}\``);

    const lever = await read('src/modules/ats-inbound/providers/lever.ts');
    const leverEvents = JSON.parse(/LEVER_HANDLED_EVENTS: readonly string\[\] = (\[.*?\]);/.exec(lever)![1]!.replaceAll("'", '"')) as string[];
    expect(leverEvents).toContain('candidateHired');
    for (const event of leverEvents) expect(section('### Lever', '### Ashby'), event).toContain(`\`${event}\``);

    const ashby = await read('src/modules/ats-inbound/providers/ashby.ts');
    const ashbyActions = [
      ...(JSON.parse(/APPLICATION_ACTIONS = new Set\((\[.*?\])\)/.exec(ashby)![1]!.replaceAll("'", '"')) as string[]),
      ...[...ashby.matchAll(/action === '([A-Za-z]+)'\) return merge/g)].map((m) => m[1]!),
    ];
    expect(ashbyActions).toContain('candidateMerge');
    for (const action of ashbyActions) expect(section('### Ashby', '### Any other ATS'), action).toContain(`\`${action}\``);
  });
});

describe('compose.yaml', () => {
  it('runs the commands the image builds, with persistent PostgreSQL and Redis and the public URL from the environment', async () => {
    const compose = await read('compose.yaml');
    for (const service of ['postgres', 'redis', 'migrate', 'api', 'worker']) expect(compose).toMatch(new RegExp(`^  ${service}:$`, 'm'));
    for (const [, built] of compose.matchAll(/\b(dist\/[\w/-]+)\.js/g)) {
      // The Dockerfile compiles src/ and workers/ into dist/ (tsconfig.build.json).
      expect(existsSync(`${built!.replace(/^dist\//, '')}.ts`), built).toBe(true);
    }
    expect(compose).toMatch(/pgdata:\/var\/lib\/postgresql\/data/);
    expect(compose).toMatch(/redisdata:\/data/);
    expect(compose).toMatch(/--appendonly, "yes"/);
    expect(compose).toMatch(/--maxmemory-policy, noeviction/);
    expect(compose).toMatch(/PUBLIC_BASE_URL: \$\{PUBLIC_BASE_URL:\?/);
    // The worker's healthcheck reads the file its own WORKER_HEARTBEAT_FILE names.
    const worker = compose.slice(compose.indexOf('\n  worker:'));
    const heartbeat = /WORKER_HEARTBEAT_FILE: (\S+)/.exec(worker)![1]!;
    expect(/healthcheck:\s+test: \[CMD, node, -e, "([^"]+)"\]/.exec(worker)![1]).toContain(`statSync('${heartbeat}')`);
    const dockerfile = await read('Dockerfile');
    expect(dockerfile).toMatch(/^FROM node:24/m);
    expect(dockerfile).toContain('EXPOSE 3000');
    expect(compose).toContain(':3000"]');
  });
});
