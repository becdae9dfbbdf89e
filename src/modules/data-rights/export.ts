// The export: everything Hearback keeps about one person, across all their candidate records, as
// JSON (machine-readable) — each part read by the module that owns its table.
import type { DbClient } from '../../db/client.js';
import { candidatePageErasureRepository as pageRows } from '../candidate-page/erasure.repository.js';
import { decisionsErasureRepository } from '../decisions/erasure.repository.js';
import { hiringErasureRepository } from '../hiring/erasure.repository.js';
import { messagesErasureRepository } from '../messages/erasure.repository.js';
import type { Person } from './person.js';

export type ExportBundle = Awaited<ReturnType<typeof exportBundle>>;

export async function exportBundle(db: DbClient, organization: { id: string; name: string }, person: Person, at: Date) {
  const ids = person.ids;
  const [candidates, applications, decisions, messages, actions] = await Promise.all([
    hiringErasureRepository.exportCandidates(db, ids),
    hiringErasureRepository.exportApplications(db, ids),
    decisionsErasureRepository.exportDecisions(db, ids),
    messagesErasureRepository.exportMessages(db, ids),
    pageRows.exportActions(db, ids),
  ]);
  const messageEvents = await messagesErasureRepository.exportEvents(
    db,
    messages.map((m) => m.id),
  );
  return {
    format: 'hearback.export.v1' as const,
    generatedAt: at.toISOString(),
    organization: { name: organization.name },
    candidates,
    applications,
    decisions,
    messages: messages.map((m) => ({ ...m, events: messageEvents.filter((e) => e.messageId === m.id) })),
    pageEvents: actions.events,
    questions: actions.questions,
    ratings: actions.ratings,
    talentPoolConsents: actions.consents,
    dataRequests: actions.dataRequests,
  };
}
