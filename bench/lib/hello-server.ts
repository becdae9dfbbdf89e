// The fastify-hello baseline as a process of its own, for scaling-api: `node --import tsx
// bench/lib/hello-server.ts <port>` by hand, compiled when the bench runs it (lib/image.ts).
// Stops on SIGTERM.
import Fastify from 'fastify';

const port = Number(process.argv[2]);
if (!Number.isInteger(port) || port <= 0) {
  console.error(`hello-server: a port is required, got ${process.argv[2]}`);
  process.exit(1);
}
const app = Fastify({ logger: false });
app.get('/', async () => ({ hello: 'world' }));
process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
await app.listen({ host: '127.0.0.1', port });
