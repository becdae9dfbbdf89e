import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { bearer, createOrganization, type TestOrganization } from '../helpers/factories.js';

let ctx: TestContext;
let org: TestOrganization;
let key: string;

beforeAll(async () => {
  ctx = await createTestContext();
  org = await createOrganization(ctx.deps);
  key = await org.key(['read', 'write']);
});
afterAll(() => ctx.close());

const api = () => request(ctx.app.server);
const put = (kind: string, locale: string, body: object) => api().put(`/v1/templates/${kind}/${locale}`).set(bearer(key)).send(body);
const valid = {
  subject: 'About your application for {{ requisition.title }}',
  html: '<p>Hello {{ candidate.firstName }},</p>{% if feedback %}<ul>{% for s in feedback.strengths %}<li>{{ s }}</li>{% endfor %}</ul>{% endif %}',
  text: 'Hello {{ candidate.firstName }},\n{% if feedback %}{{ feedback.strengths | join: ", " }}{% endif %}\n{{ links.feedbackPage }}',
};

describe('templates', () => {
  it('ship a default for every kind in every shipped language', async () => {
    const res = await api().get('/v1/templates').set(bearer(key));
    expect(res.status).toBe(200);
    const defaults = res.body.data.filter((t: { source: string }) => t.source === 'default');
    expect(defaults).toHaveLength(6 * 7);
    expect(new Set(defaults.map((t: { locale: string }) => t.locale))).toEqual(new Set(['en', 'fr', 'de', 'es', 'pt', 'it', 'nl']));
    const fr = await api().get('/v1/templates/rejection_after_interview/fr').set(bearer(key));
    expect(fr.body).toMatchObject({ version: 0, source: 'default', locale: 'fr' });
    expect(fr.body.html).toContain('lang="fr"');
    // A regional tag falls back on its language's default.
    expect((await api().get('/v1/templates/status_update/fr-CA').set(bearer(key))).body.source).toBe('default');
  });

  it('save versions, each remembered, and refuse a stale base version', async () => {
    const first = await put('rejection_after_interview', 'en', { ...valid, baseVersion: 0 });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ version: 1, source: 'custom', createdBy: expect.stringMatching(/^api_key:/) });
    const second = await put('rejection_after_interview', 'en', { ...valid, subject: 'Your application: {{ requisition.title }}', baseVersion: 1 });
    expect(second.body.version).toBe(2);
    const stale = await put('rejection_after_interview', 'en', { ...valid, baseVersion: 1 });
    expect(stale.status).toBe(409);
    expect(stale.body.currentVersion).toBe(2);
    const versions = await api().get('/v1/templates/rejection_after_interview/en/versions').set(bearer(key));
    expect(versions.body.data.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    expect((await api().get('/v1/templates/rejection_after_interview/en').set(bearer(key))).body.version).toBe(2);
  });

  it('refuse unknown variables, syntax errors, unknown filters and includes with 422 naming the line', async () => {
    const res = await put('status_update', 'en', {
      subject: 'Update on {{ requisition.tittle }}',
      html: '<p>Hi</p>\n<p>{% if candidate.name %}</p>',
      text: 'Hi {{ candidate.firstName | shout }}',
    });
    expect(res.status).toBe(422);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
    expect(res.body.code).toBe('template_invalid');
    expect(res.body.problems).toEqual([
      { part: 'subject', line: 1, column: 14, message: 'unknown variable "requisition.tittle"' },
      expect.objectContaining({ part: 'html', line: 2, message: expect.stringContaining('not closed') }),
      expect.objectContaining({ part: 'text', line: 1, message: 'undefined filter: shout' }),
    ]);
    const include = await put('status_update', 'en', { ...valid, html: '{% include "secrets" %}' });
    expect(include.body.problems).toEqual([expect.objectContaining({ part: 'html', message: 'templates cannot include, render or extend other templates' })]);
    expect((await api().get('/v1/templates/status_update/en').set(bearer(key))).body.source).toBe('default');
  });

  it('render previews with sample data, escaping HTML but not text', async () => {
    const res = await api()
      .post('/v1/templates/preview')
      .set(bearer(key))
      .send({
        kind: 'rejection_after_interview',
        locale: 'en',
        template: { ...valid, html: '<p>{{ organization.name }}: {{ "<b>Tom & Jerry</b>" }}</p>', text: '{{ "<b>Tom & Jerry</b>" }}' },
      });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ subject: 'About your application for Senior Backend Engineer', version: null });
    expect(res.body.html).toBe('<p>Northwind: &lt;b&gt;Tom &amp; Jerry&lt;/b&gt;</p>');
    expect(res.body.text).toBe('<b>Tom & Jerry</b>');
    // Trying unsaved template code needs the write scope.
    const readOnly = await org.key(['read']);
    const denied = await api().post('/v1/templates/preview').set(bearer(readOnly)).send({ kind: 'rejection_after_interview', locale: 'en', template: valid });
    expect(denied.status).toBe(403);
    const sparse = await api().post('/v1/templates/preview').set(bearer(key)).send({ kind: 'rejection_after_interview', locale: 'de', data: 'sample_minimal' });
    expect(sparse.status).toBe(200);
    expect(sparse.body.html).toContain('lang="de"');
  });

  it('preview a real draft with only that candidate’s data', async () => {
    const post = (path: string, body: object) => api().post(path).set(bearer(key)).send(body);
    const req = (await post('/v1/requisitions', { title: 'Data <Engineer>', hiringContact: { name: 'Rita', email: 'rita@x.test' } })).body;
    const chosen = (await post('/v1/candidates', { name: 'Chosen One', emails: ['chosen@x.test'] })).body;
    const other = (await post('/v1/candidates', { name: 'Zoé Dubois', emails: ['zoe@x.test'], locale: 'fr-FR' })).body;
    const a1 = (await post('/v1/applications', { candidate: { id: chosen.id }, requisition: { id: req.id } })).body;
    const a2 = (await post('/v1/applications', { candidate: { id: other.id }, requisition: { id: req.id } })).body;
    const plan = (
      await post(`/v1/requisitions/${req.id}/plans`, {
        chosen: [{ applicationId: a1.id }],
        targets: { mode: 'all_others_active' },
        feedback: { [a2.id]: { reasonCategory: 'position_filled', strengths: ['Une présentation très claire'] } },
      })
    ).body;
    const confirmed = (await post(`/v1/plans/${plan.id}/confirm`, { digest: plan.digest, chosenApplicationIds: [a1.id] })).body;
    const draft = confirmed.messages[0];
    const res = await post('/v1/templates/preview', { kind: draft.kind, locale: 'en', data: { messageId: draft.id } });
    expect(res.status).toBe(200);
    expect(res.body.locale).toBe('fr');
    expect(res.body.text).toContain('Zoé');
    expect(res.body.text).toContain('Une présentation très claire');
    expect(res.body.html).toContain('Data &lt;Engineer&gt;');
    expect(res.body.html + res.body.text).not.toContain('Chosen');
    const stranger = await createOrganization(ctx.deps);
    const foreign = await api()
      .post('/v1/templates/preview')
      .set(bearer(stranger.adminKey))
      .send({ kind: draft.kind, locale: 'en', data: { messageId: draft.id } });
    expect(foreign.status).toBe(404);
  });
});
