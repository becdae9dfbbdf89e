import { benchDeps } from '../lib/app.js';
import { httpScenario } from '../lib/http.js';
import { buildApp } from '../../src/app.js';
import { seedApprovedMessages } from '../../test/helpers/seed-messages.js';
import { feedbackToken } from '../../src/modules/messages/feedback-link.js';

// A candidate opening their feedback page: token hash lookup, the page's data (candidate,
// requisition, organization, rating, questions, data requests), the view recorded (an update
// and an event), server-side rendering with escaping, security headers.
export default httpScenario({
  name: 'app-feedback-page',
  baseline: 'fastify-hello',
  description: 'GET /f/{token}: a candidate’s feedback page, view recorded',
  async build(ctx) {
    const bench = await benchDeps(ctx, 'feedback-page');
    const app = await buildApp({ config: bench.config, deps: bench.deps, logger: false });
    const { organization } = await bench.deps.organizations.createOrganization('Bench page');
    const { ids } = await seedApprovedMessages(ctx.databaseUrl, {
      organizationId: organization.id,
      count: 1,
      publicBaseUrl: bench.config.PUBLIC_BASE_URL,
      linkSecret: bench.config.ENCRYPTION_KEY,
      domain: `page-${Date.now()}.test`,
    });
    // Sent, so the page shows the decision.
    await bench.deps.db.message.update({ where: { id: ids[0]! }, data: { status: 'sent', sentAt: new Date() } });
    const token = feedbackToken(bench.config.ENCRYPTION_KEY, ids[0]!);
    return { app, close: bench.close, request: { method: 'GET', path: `/f/${token}` } };
  },
  request: { method: 'GET', path: '/f/placeholder' },
});
