// The API process: config → deps → app → listen, and a graceful shutdown on SIGTERM/SIGINT
// (stop accepting, finish in-flight requests, close connections).
import closeWithGrace from 'close-with-grace';
import { buildApp } from './app.js';
import { loadConfigOrExit, type Config } from './config.js';
import { createDeps } from './deps.js';
import { isMain } from './lib/is-main.js';

export interface StartServerOptions {
  /** Runs during graceful shutdown, after the API has stopped (the demo stops its helpers). */
  onClose?: () => Promise<void>;
}

export async function startServer(config: Config, { onClose }: StartServerOptions = {}) {
  const deps = createDeps(config, { role: 'api' });
  const app = await buildApp({ config, deps });
  closeWithGrace({ delay: config.SHUTDOWN_TIMEOUT_MS }, async ({ signal, err }) => {
    if (err) app.log.error({ err }, 'shutting down after an error');
    else app.log.info({ signal }, 'shutting down');
    await app.close();
    await deps.close();
    await onClose?.();
  });
  await app.listen({ host: config.HOST, port: config.PORT });
  return app;
}

if (isMain(import.meta.url)) {
  await startServer(loadConfigOrExit());
}
