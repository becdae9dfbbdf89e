// The README's first screen promises two commands; CI must run the second one verbatim.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';

const commandsOnFirstScreen = async () => {
  const readme = await readFile('README.md', 'utf8');
  const firstScreen = readme.split('\n').slice(0, 40).join('\n');
  return [...firstScreen.matchAll(/```sh\n(?:#.*\n)*(.+)\n```/g)].map((match) => match[1]!.trim());
};

describe('README', () => {
  it('opens with exactly two commands: set up and start the demo, run the tests', async () => {
    expect(await commandsOnFirstScreen()).toEqual(['npm ci && npm run demo', 'npm ci && npm test']);
  });

  it('.ci/run runs the test command verbatim', async () => {
    const [, testCommand] = await commandsOnFirstScreen();
    const ci = await readFile('.ci/run', 'utf8');
    expect(ci.split('\n').map((line) => line.trim())).toContain(testCommand);
  });

  it('the test command lints the OpenAPI document before the suite', async () => {
    const { scripts } = JSON.parse(await readFile('package.json', 'utf8')) as { scripts: Record<string, string> };
    expect(scripts.test).toMatch(/npm run lint:openapi &&.*vitest run/);
    expect(scripts['lint:openapi']).toMatch(/^redocly lint .*openapi\/openapi\.json$/);
  });

  it('names every npm script it tells people to run', async () => {
    const readme = await readFile('README.md', 'utf8');
    const { scripts } = JSON.parse(await readFile('package.json', 'utf8')) as { scripts: Record<string, string> };
    const mentioned = new Set([...readme.matchAll(/npm run ([a-z:]+)/g)].map((match) => match[1]!));
    for (const script of mentioned) expect(scripts, `npm run ${script}`).toHaveProperty(script);
  });
});
