// Standalone fake for the demo and benchmarks:
//   npx tsx test/postmark/main.ts [--port 3030] [--host 127.0.0.1] [--token T]... [--log]
// The port also comes from POSTMARK_FAKE_PORT. This is an entry point, so it is
// the one place here that reads argv and env.

import { parseArgs } from 'node:util';
import { startPostmarkServer } from './server.js';

const DEFAULT_PORT = 3030;

function portFrom(value: string | undefined): number {
  if (value === undefined || value === '') return DEFAULT_PORT;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`invalid port: ${value}`);
  return port;
}

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    host: { type: 'string', default: '127.0.0.1' },
    token: { type: 'string', multiple: true },
    log: { type: 'boolean', default: false },
  },
});

const fake = await startPostmarkServer({
  host: values.host,
  port: portFrom(values.port ?? process.env.POSTMARK_FAKE_PORT),
  logger: values.log,
  ...(values.token?.length ? { serverToken: values.token } : {}),
});

console.log(`Postmark fake listening on ${fake.url}`);
console.log(`  inbox page:       ${fake.url}/`);
console.log(`  control API:      ${fake.url}/__fake/...`);
console.log(`  postmark client:  new ServerClient(token, { useHttps: false, requestHost: '${fake.requestHost}' })`);

let closing = false;
async function shutdown(signal: string): Promise<void> {
  if (closing) return;
  closing = true;
  console.log(`${signal} received, closing Postmark fake`);
  await fake.close();
  process.exit(0);
}
process.once('SIGINT', () => void shutdown('SIGINT'));
process.once('SIGTERM', () => void shutdown('SIGTERM'));
