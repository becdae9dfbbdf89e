// `npm run openapi`: writes openapi/openapi.json from the routes' zod schemas. CI fails when the
// committed file differs from what the code generates (test/integration/openapi.test.ts).
import { writeFile } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createDeps } from '../src/deps.js';
import { isMain } from '../src/lib/is-main.js';
import { renderWebTypes, WEB_TYPES_PATH } from './web-types.js';

export const OPENAPI_PATH = new URL('./openapi.json', import.meta.url);

/**
 * The document as committed: stable formatting, so diffs show real API changes only. Component
 * schemas are sorted by name: otherwise their order follows module import order, and moving an
 * import reshuffled thousands of lines.
 */
export function renderOpenApi(app: FastifyInstance): string {
  const document = app.swagger() as { components?: Record<string, Record<string, unknown>>; servers?: unknown };
  for (const kind of ['schemas', 'responses']) {
    const named = document.components?.[kind];
    if (named) document.components![kind] = Object.fromEntries(Object.entries(named).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }
  // The committed document describes every deployment, not this machine's: its server is the
  // deployment's PUBLIC_BASE_URL (a running API serves /openapi.json with its own).
  document.servers = [
    {
      url: '{publicBaseUrl}',
      description: 'The deployment’s PUBLIC_BASE_URL',
      variables: { publicBaseUrl: { default: 'http://localhost:3000', description: 'PUBLIC_BASE_URL (`npm run demo` listens on http://localhost:3000)' } },
    },
  ];
  return `${JSON.stringify(document, null, 2)}\n`;
}

async function main() {
  // Development defaults only (no service is contacted): the output must not depend on the machine.
  const config = loadConfig({ LOG_LEVEL: 'silent' });
  const deps = createDeps(config, { role: 'cli' });
  const app = await buildApp({ config, deps, logger: false });
  try {
    const document = renderOpenApi(app);
    await writeFile(OPENAPI_PATH, document);
    console.log(`wrote ${OPENAPI_PATH.pathname}`);
    await writeFile(WEB_TYPES_PATH, await renderWebTypes(document));
    console.log(`wrote ${WEB_TYPES_PATH.pathname}`);
  } finally {
    await app.close();
    await deps.close();
  }
}

if (isMain(import.meta.url)) await main();
