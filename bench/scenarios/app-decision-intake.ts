import { benchApp } from '../lib/app.js';
import { httpScenario } from '../lib/http.js';

// Single-application decision intake, as an ATS reports one: auth, the application lookup and
// requisition share lock, the decision row, the audit row, in one transaction. Compared to one
// raw pg INSERT (issue 3 aims at ≥ 0.5).
export default httpScenario({
  name: 'app-decision-intake',
  baseline: 'pg-insert',
  description: 'POST /v1/decisions (advance) for one application',
  async build(ctx) {
    const { app, apiKey, close } = await benchApp(ctx, 'decision-intake');
    const post = (url: string, payload: object) => app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${apiKey}` }, payload });
    const requisition = (await post('/v1/requisitions', { title: 'Bench role' })).json();
    const candidate = (await post('/v1/candidates', { name: 'Bench', emails: ['bench@example.test'] })).json();
    const application = (await post('/v1/applications', { candidate: { id: candidate.id }, requisition: { id: requisition.id } })).json();
    return {
      app,
      close,
      request: {
        method: 'POST',
        path: '/v1/decisions',
        headers: { authorization: `Bearer ${apiKey}` },
        body: { application: { id: application.id }, kind: 'advance', source: 'greenhouse' },
      },
    };
  },
  request: { method: 'POST', path: '/v1/decisions' },
});
