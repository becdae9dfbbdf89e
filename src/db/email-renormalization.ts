// Data step of the email_normalization migration: stored normalised addresses recomputed with
// today's normalizeEmail, so records written before it match records written after. Only rows
// the new rule can change are read (non-ASCII, or a trailing dot: on anything else the old rule,
// trim + NFC + lower case, agrees). Two addresses of one candidate, or two suppressions of one
// organization, that now normalise alike become one.
import type pg from 'pg';
import { normalizeEmail } from '../modules/hiring/identity.js';
import type { DataMigration } from './data-migrations.js';

const BATCH = 1_000;

async function candidateEmails(client: pg.ClientBase): Promise<void> {
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const { rows } = await client.query<{ id: string; candidate_id: string; address: string; normalized: string; is_primary: boolean }>(
      `SELECT id, candidate_id, address, normalized, is_primary FROM candidate_emails
       WHERE id > $1 AND (address ~ '[^\\x01-\\x7e]' OR address LIKE '%.' OR normalized ~ '[^\\x01-\\x7e]' OR normalized LIKE '%.')
       ORDER BY id LIMIT ${BATCH}`,
      [after],
    );
    for (const row of rows) {
      const normalized = normalizeEmail(row.address);
      if (normalized === row.normalized) continue;
      const updated = await client.query(
        `UPDATE candidate_emails e SET normalized = $2 WHERE e.id = $1
         AND NOT EXISTS (SELECT 1 FROM candidate_emails o WHERE o.candidate_id = e.candidate_id AND o.normalized = $2)`,
        [row.id, normalized],
      );
      if (updated.rowCount === 1) continue;
      // The candidate already has this address: one row stays, primary if either was.
      await client.query('DELETE FROM candidate_emails WHERE id = $1', [row.id]);
      if (row.is_primary) await client.query('UPDATE candidate_emails SET is_primary = true WHERE candidate_id = $1 AND normalized = $2', [row.candidate_id, normalized]);
    }
    if (rows.length < BATCH) return;
    after = rows.at(-1)!.id;
  }
}

async function suppressions(client: pg.ClientBase): Promise<void> {
  let after = { organizationId: '00000000-0000-0000-0000-000000000000', email: '' };
  for (;;) {
    const { rows } = await client.query<{ organization_id: string; email: string }>(
      `SELECT organization_id, email FROM suppressions
       WHERE (organization_id, email) > ($1::uuid, $2) AND (email ~ '[^\\x01-\\x7e]' OR email LIKE '%.')
       ORDER BY organization_id, email LIMIT ${BATCH}`,
      [after.organizationId, after.email],
    );
    for (const row of rows) {
      const email = normalizeEmail(row.email);
      if (email === row.email) continue;
      const updated = await client.query(
        `UPDATE suppressions s SET email = $3 WHERE s.organization_id = $1 AND s.email = $2
         AND NOT EXISTS (SELECT 1 FROM suppressions o WHERE o.organization_id = $1 AND o.email = $3)`,
        [row.organization_id, row.email, email],
      );
      // Already suppressed under its new form: that entry (and its reason) stays.
      if (updated.rowCount === 0) await client.query('DELETE FROM suppressions WHERE organization_id = $1 AND email = $2', [row.organization_id, row.email]);
    }
    if (rows.length < BATCH) return;
    after = { organizationId: rows.at(-1)!.organization_id, email: rows.at(-1)!.email };
  }
}

export const emailRenormalization: DataMigration = {
  migration: '20261206111748_email_normalization',
  async run(client) {
    await candidateEmails(client);
    await suppressions(client);
  },
};
