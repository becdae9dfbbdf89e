import { benchDeps } from '../lib/app.js';
import { httpScenario } from '../lib/http.js';
import { buildApp } from '../../src/app.js';
import { seedApprovedMessages } from '../../test/helpers/seed-messages.js';
import { feedbackToken } from '../../src/modules/messages/feedback-link.js';

// Candidates opening their feedback pages: token hash lookup, the page's data (candidate,
// requisition, organization, rating, questions, data requests), the view recorded (the first
// on the message, every one as an event), server-side rendering with escaping, security
// headers. 500 different links taken in turn, as real traffic spreads over many candidates.
// Against pg-insert (one raw write a request), as issue 18's aim for it is stated: a page view
// reads and writes.
const LINKS = 500;

export default httpScenario({
  name: 'app-feedback-page',
  baseline: 'pg-insert',
  description: 'GET /f/{token} over 500 links in turn: a candidate’s feedback page, view recorded',
  async build(ctx) {
    const bench = await benchDeps(ctx, 'feedback-page');
    const app = await buildApp({ config: bench.config, deps: bench.deps, logger: false });
    const { organization } = await bench.deps.organizations.createOrganization('Bench page');
    const { ids } = await seedApprovedMessages(ctx.databaseUrl, {
      organizationId: organization.id,
      count: LINKS,
      publicBaseUrl: bench.config.PUBLIC_BASE_URL,
      linkSecret: bench.config.ENCRYPTION_KEY,
      domain: `page-${Date.now()}.test`,
    });
    // Sent, so the pages show the decision.
    await bench.deps.db.message.updateMany({ where: { id: { in: ids } }, data: { status: 'sent', sentAt: new Date() } });
    const [first, ...rest] = ids.map((id) => `/f/${feedbackToken(bench.config.ENCRYPTION_KEY, id)}`);
    return { app, close: bench.close, request: { method: 'GET', path: first!, morePaths: rest } };
  },
  request: { method: 'GET', path: '/f/placeholder' },
});
