import { benchApp } from '../lib/app.js';
import { httpScenario } from '../lib/http.js';

// A create with a fresh Idempotency-Key per request: auth, then one statement that writes the
// key's record (with the sealed response) and the API key together (the one-statement path of
// plugins/idempotency.ts). Compared to one raw pg INSERT.
export default httpScenario({
  name: 'app-idempotent-create',
  baseline: 'pg-insert',
  description: 'POST /v1/api-keys with a unique Idempotency-Key (auth + 1 statement: record and key)',
  async build(ctx) {
    const { app, apiKey, close } = await benchApp(ctx, 'idem-create');
    return {
      app,
      close,
      request: {
        method: 'POST',
        path: '/v1/api-keys',
        headers: { authorization: `Bearer ${apiKey}`, 'idempotency-key': 'bench-[<id>]' },
        body: { name: 'bench [<id>]', scopes: ['read'] },
        idReplacement: true,
      },
    };
  },
  request: { method: 'POST', path: '/v1/api-keys' },
});
