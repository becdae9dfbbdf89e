// Thousands of approved, due messages written straight to Postgres, as the API would leave them
// (for the reliability tests and the delivery bench; no vitest import, so bench/ can use it).
import pg from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { contentHashOf } from '../../src/modules/messages/message-policy.js';
import { feedbackTokenHash, placeholderLink } from '../../src/modules/messages/feedback-link.js';

export interface SeededMessages {
  requisitionId: string;
  ids: string[];
  recipients: string[];
}

/**
 * `count` approved, due rejections on one requisition (plus its hired candidate), written
 * straight to Postgres as the API would leave them: candidates with emails, applications,
 * a confirmed plan, decisions, rendered content with the link placeholder and its hashes.
 */
export async function seedApprovedMessages(
  databaseUrl: string,
  options: { organizationId: string; count: number; publicBaseUrl: string; linkSecret: string; domain?: string },
): Promise<SeededMessages> {
  const { organizationId, count, publicBaseUrl, linkSecret } = options;
  const domain = options.domain ?? 'candidates.test';
  const requisitionId = uuidv7();
  const planId = uuidv7();
  const people = Array.from({ length: count + 1 }, (_, i) => ({
    candidateId: uuidv7(),
    applicationId: uuidv7(),
    messageId: uuidv7(),
    name: i === 0 ? 'Chosen Person' : `Candidate ${i}`,
    email: i === 0 ? `chosen.${requisitionId.slice(-8)}@${domain}` : `c${i}.${requisitionId.slice(-8)}@${domain}`,
  }));
  const [chosen, ...rejected] = people as [(typeof people)[number], ...typeof people];
  const link = placeholderLink(publicBaseUrl);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('BEGIN');
    await client.query(`INSERT INTO requisitions (id, organization_id, title, updated_at) VALUES ($1, $2, 'Platform Engineer', now())`, [requisitionId, organizationId]);
    await client.query(`INSERT INTO candidates (id, organization_id, name, person_id, updated_at) SELECT c, $2, n, c, now() FROM unnest($1::uuid[], $3::text[]) AS u(c, n)`, [
      people.map((p) => p.candidateId),
      organizationId,
      people.map((p) => p.name),
    ]);
    await client.query(
      `INSERT INTO candidate_emails (id, organization_id, candidate_id, address, normalized, is_primary)
       SELECT gen_random_uuid(), $2, c, e, e, true FROM unnest($1::uuid[], $3::text[]) AS u(c, e)`,
      [people.map((p) => p.candidateId), organizationId, people.map((p) => p.email)],
    );
    await client.query(
      `INSERT INTO applications (id, organization_id, candidate_id, requisition_id, status, updated_at)
       SELECT a, $2, c, $3, s::application_status, now() FROM unnest($1::uuid[], $4::uuid[], $5::text[]) AS u(a, c, s)`,
      [people.map((p) => p.applicationId), organizationId, requisitionId, people.map((p) => p.candidateId), people.map((_, i) => (i === 0 ? 'hired' : 'active'))],
    );
    await client.query(
      `INSERT INTO decision_plans (id, organization_id, requisition_id, input, items, item_count, digest, status, created_by, expires_at, confirmed_at, confirmed_by, confirmation)
       VALUES ($1, $2, $3, $4, '{"items": [], "checks": []}', 0, 'seeded', 'confirmed', 'seed', now() + interval '1 day', now(), 'seed', '{"overrides": []}')`,
      [planId, organizationId, requisitionId, JSON.stringify({ chosen: [{ applicationId: chosen.applicationId, action: 'hire', messageKind: null }] })],
    );
    await client.query(
      `INSERT INTO decisions (id, organization_id, application_id, requisition_id, candidate_id, kind, source, plan_id)
       SELECT gen_random_uuid(), $2, a, $3, c, k::decision_kind, 'plan', $4 FROM unnest($1::uuid[], $5::uuid[], $6::text[]) AS u(a, c, k)`,
      [people.map((p) => p.applicationId), organizationId, requisitionId, planId, people.map((p) => p.candidateId), people.map((_, i) => (i === 0 ? 'hire' : 'reject'))],
    );
    const subjects = rejected.map(() => 'Your application for Platform Engineer');
    const htmls = rejected.map((p) => `<p>Dear ${p.name}, thank you. Your feedback: <a href="${link}">${link}</a></p>`);
    const texts = rejected.map((p) => `Dear ${p.name}, thank you. Your feedback: ${link}`);
    const hashes = rejected.map((_, i) => contentHashOf({ subject: subjects[i]!, html: htmls[i]!, text: texts[i]! }));
    await client.query(
      `INSERT INTO messages (id, organization_id, plan_id, requisition_id, application_id, candidate_id, kind, action, status, recipient_email,
         locale, subject, html, text, template_version, content_version, content_hash, approved_content_hash, severity,
         approved_at, approved_by, send_at, feedback_token_hash, feedback_link_expires_at, lint, render_checks, updated_at)
       SELECT m, $2, $3, $4, a, c, 'rejection_after_interview', 'reject', 'approved', e, 'en', s, h, t, 0, 1, x, x, NULL,
         now(), 'seed', now(), th, now() + interval '180 days', '[]', '[]', now()
       FROM unnest($1::uuid[], $5::uuid[], $6::uuid[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[])
         AS u(m, a, c, e, s, h, t, x, th)`,
      [
        rejected.map((p) => p.messageId),
        organizationId,
        planId,
        requisitionId,
        rejected.map((p) => p.applicationId),
        rejected.map((p) => p.candidateId),
        rejected.map((p) => p.email),
        subjects,
        htmls,
        texts,
        hashes,
        rejected.map((p) => feedbackTokenHash(linkSecret, p.messageId)),
      ],
    );
    await client.query('COMMIT');
  } finally {
    await client.end();
  }
  return { requisitionId, ids: rejected.map((p) => p.messageId), recipients: rejected.map((p) => p.email) };
}
