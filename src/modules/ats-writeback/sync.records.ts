// What an import or a reconciliation writes in Hearback from a page the ATS listed: its open
// jobs as requisitions, its active applications with their candidates and jobs. Through the
// hiring module's bulk upsert, in the caller's transaction (the page and its cursor commit together).
import type { DbClient } from '../../db/client.js';
import type { Actor } from '../../lib/actor.js';
import type { AtsJob, AtsListedApplication } from '../ats-api/ats-client.js';
import type { HiringService } from '../hiring/hiring.service.js';
import { syncRepository } from './sync.repository.js';

/** What of a connection the records need. */
interface Connection {
  organizationId: string;
  provider: string;
}

export function createSyncRecords(hiring: Pick<HiringService, 'bulkUpsert'>) {
  const actorOf = (connection: Connection): Actor => ({ organizationId: connection.organizationId, actor: `ats:${connection.provider}` });

  /** The active applications of a page made (or updated) in Hearback; returns how many. */
  async function upsertActive(tx: DbClient, connection: Connection, items: AtsListedApplication[]): Promise<number> {
    const source = connection.provider;
    // An erased person stays erased: the ATS's copy is its own (an erasure asked it to anonymize it).
    const erased = await syncRepository.erased(tx, connection.organizationId, source, [...new Set(items.map((a) => a.candidate.externalId))]);
    const usable = items.filter((a) => a.state === 'active' && a.requisition && a.candidate.emails.length > 0 && !erased.has(a.candidate.externalId));
    if (usable.length === 0) return 0;
    const unique = <T>(rows: T[], key: (row: T) => string) => [...new Map(rows.map((r) => [key(r), r])).values()];
    await hiring.bulkUpsert(
      actorOf(connection),
      {
        requisitions: await requisitionsOf(
          tx,
          connection,
          unique(usable, (a) => a.requisition!.externalId).map((a) => a.requisition!),
        ),
        candidates: unique(usable, (a) => a.candidate.externalId).map((a) => ({
          name: (a.candidate.name ?? a.candidate.emails[0]!).slice(0, 200),
          emails: a.candidate.emails.slice(0, 10),
          externalIds: [{ source, id: a.candidate.externalId }],
        })),
        applications: usable.map((a) => ({
          candidate: { source, externalId: a.candidate.externalId },
          requisition: { source, externalId: a.requisition!.externalId },
          externalIds: [{ source, id: a.externalId }],
          ...(a.stage ? { stage: a.stage.slice(0, 200) } : {}),
        })),
      },
      tx,
    );
    return usable.length;
  }

  /**
   * The requisitions to upsert for these jobs. A job listed without its title (Lever names an
   * opportunity's posting by id) is left out when Hearback has it already: the title the jobs
   * phase read stays, instead of becoming "Requisition <id>".
   */
  async function requisitionsOf(tx: DbClient, connection: Connection, jobs: AtsJob[]) {
    const source = connection.provider;
    const untitled = jobs.filter((j) => !j.title).map((j) => j.externalId);
    const known = untitled.length === 0 ? new Set<string>() : await syncRepository.knownRequisitions(tx, connection.organizationId, source, untitled);
    return jobs
      .filter((j) => j.title || !known.has(j.externalId))
      .map((j) => ({ title: (j.title || `Requisition ${j.externalId}`).slice(0, 200), externalIds: [{ source, id: j.externalId }] }));
  }

  /** A page of open jobs made (or retitled) requisitions in Hearback; returns how many. */
  async function upsertJobs(tx: DbClient, connection: Connection, jobs: AtsJob[]): Promise<number> {
    const requisitions = await requisitionsOf(tx, connection, [...new Map(jobs.map((j) => [j.externalId, j])).values()]);
    if (requisitions.length > 0) await hiring.bulkUpsert(actorOf(connection), { requisitions, candidates: [], applications: [] }, tx);
    return requisitions.length;
  }

  return { upsertActive, upsertJobs };
}
