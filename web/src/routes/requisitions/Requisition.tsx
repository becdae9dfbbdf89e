// One requisition: its applicants with stage, status, last contact, promised date and the state of
// their latest message; records the API linked as the same person shown as one applicant with the
// evidence; and the people who work on it. Four requests for the whole page (requisition,
// applications, its candidates, its messages) plus the members, and the links only for duplicates.
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-aria-components';
import { useParams } from 'react-router';
import { api, unwrap, type Schemas } from '../../api/client';
import { Empty, ErrorState, Loading } from '../../components/States';
import { t, word } from '../../i18n';

const day = (iso: string | null | undefined) => (iso ? new Date(iso).toLocaleDateString() : '—');
const when = (iso: string | null | undefined) => (iso ? new Date(iso).toLocaleString() : '—');

interface Applicant {
  application: Schemas['Application'];
  candidate: Schemas['Candidate'] | undefined;
  /** The same person's other applications to this requisition (linked records). */
  duplicates: { application: Schemas['Application']; candidate: Schemas['Candidate'] | undefined }[];
  latest: Schemas['MessageListItem'] | undefined;
  lastContact: string | null;
}

/** One row per person: an application whose candidate is linked (sameAs) to an earlier row joins it. */
export function groupApplicants(applications: Schemas['Application'][], candidates: Schemas['Candidate'][], messages: Schemas['MessageListItem'][]): Applicant[] {
  const byCandidate = new Map(candidates.map((c) => [c.id, c]));
  const rows: Applicant[] = [];
  const rowOfCandidate = new Map<string, Applicant>();
  for (const application of applications) {
    const candidate = byCandidate.get(application.candidateId);
    const same = candidate?.sameAs.map((id) => rowOfCandidate.get(id)).find((row) => row !== undefined);
    if (same) {
      same.duplicates.push({ application, candidate });
      rowOfCandidate.set(application.candidateId, same);
      continue;
    }
    const row: Applicant = { application, candidate, duplicates: [], latest: undefined, lastContact: null };
    rows.push(row);
    rowOfCandidate.set(application.candidateId, row);
  }
  for (const message of messages) {
    const row = rowOfCandidate.get(message.candidateId);
    if (!row) continue;
    if (!row.latest || message.updatedAt > row.latest.updatedAt) row.latest = message;
    if (message.sentAt && (!row.lastContact || message.sentAt > row.lastContact)) row.lastContact = message.sentAt;
  }
  return rows;
}

export function Requisition() {
  const { id = '' } = useParams();
  const path = { params: { path: { id } } };
  const query = { params: { query: { requisitionId: id, limit: 200 } } };
  const requisition = useQuery({ queryKey: ['requisition', id], queryFn: () => unwrap(api.GET('/v1/requisitions/{id}', path)) });
  const applications = useQuery({ queryKey: ['applications', id], queryFn: () => unwrap(api.GET('/v1/applications', query)) });
  const candidates = useQuery({ queryKey: ['candidates', 'requisition', id], queryFn: () => unwrap(api.GET('/v1/candidates', query)) });
  const messages = useQuery({ queryKey: ['messages', 'requisition', id], queryFn: () => unwrap(api.GET('/v1/messages', query)) });
  const parts = [requisition, applications, candidates, messages];
  const failed = parts.find((part) => part.isError);
  return (
    <>
      <p>
        <Link href="/requisitions">{t('requisition.back')}</Link>
      </p>
      <h1>{requisition.data?.title ?? t('requisition.title')}</h1>
      {failed ? (
        <ErrorState error={failed.error} retry={() => parts.forEach((part) => void part.refetch())} />
      ) : !requisition.data || !applications.data || !candidates.data || !messages.data ? (
        <Loading />
      ) : (
        <>
          {requisition.data.location ? <p className="muted">{requisition.data.location}</p> : null}
          <p className="card-links">
            <Link href={`/requisitions/${id}/decision`}>{t('decision.open')}</Link>
            <Link href={`/inbox?requisition=${id}`}>{t('requisitions.drafts')}</Link>
          </p>
          <Applicants rows={groupApplicants(applications.data.data, candidates.data.data, messages.data.data)} />
          <Members id={id} />
        </>
      )}
    </>
  );
}

function Applicants({ rows }: { rows: Applicant[] }) {
  return (
    <section aria-labelledby="applicants" className="section">
      <h2 id="applicants">{t('requisition.applicants', { count: rows.length })}</h2>
      {rows.length === 0 ? (
        <Empty>{t('requisition.noApplicants')}</Empty>
      ) : (
        <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="applicants">
          <table className="messages applicants">
            <thead>
              <tr>
                <th scope="col">{t('requisition.name')}</th>
                <th scope="col">{t('requisition.stage')}</th>
                <th scope="col">{t('requisition.status')}</th>
                <th scope="col">{t('requisition.lastContact')}</th>
                <th scope="col">{t('requisition.promised')}</th>
                <th scope="col">{t('requisition.message')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.application.id} data-application-id={row.application.id}>
                  <th scope="row">
                    {row.candidate?.name ?? '—'}
                    <div className="muted">{row.candidate?.emails[0]?.address}</div>
                    {row.duplicates.length > 0 && row.candidate ? <SamePerson candidate={row.candidate} duplicates={row.duplicates} /> : null}
                  </th>
                  <td>{row.application.stage ?? '—'}</td>
                  <td>{word('applicationStatuses', row.application.status)}</td>
                  <td>{row.lastContact ? when(row.lastContact) : t('requisition.never')}</td>
                  <td className={promisePassed(row) ? 'error-text' : undefined}>
                    {row.application.promisedDecisionAt ? day(row.application.promisedDecisionAt) : '—'}
                    {promisePassed(row) ? ` (${t('requisition.passed')})` : ''}
                  </td>
                  <td>{row.latest ? `${word('kinds', row.latest.kind)}: ${word('statuses', row.latest.status)}` : t('requisition.noMessage')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

const promisePassed = (row: Applicant) =>
  row.application.promisedDecisionAt !== null && row.application.status === 'active' && !row.lastContact && new Date(row.application.promisedDecisionAt) < new Date();

/** The linked records of one person, with what the API matched them on. */
function SamePerson({ candidate, duplicates }: { candidate: Schemas['Candidate']; duplicates: Applicant['duplicates'] }) {
  const links = useQuery({
    queryKey: ['candidate-links', candidate.id],
    queryFn: () => unwrap(api.GET('/v1/candidates/{id}/links', { params: { path: { id: candidate.id } } })),
  });
  const others = new Set(duplicates.map((d) => d.application.candidateId));
  const evidence = links.data?.data.filter((link) => others.has(link.candidateId) || others.has(link.linkedCandidateId)) ?? [];
  return (
    <div className="same-person">
      <p>{t('requisition.samePerson', { count: duplicates.length + 1 })}</p>
      <ul>
        {duplicates.map((d) => (
          <li key={d.application.id}>{t('requisition.alsoAs', { name: d.candidate?.name ?? '—', email: d.candidate?.emails[0]?.address ?? '—' })}</li>
        ))}
        {evidence.map((link) => (
          <li key={link.id}>{t('requisition.evidence', { reason: word('linkReasons', link.reason), evidence: link.evidence })}</li>
        ))}
      </ul>
      {links.isError ? <ErrorState error={links.error} retry={() => void links.refetch()} /> : null}
    </div>
  );
}

function Members({ id }: { id: string }) {
  const members = useQuery({
    queryKey: ['requisition-members', id],
    queryFn: () => unwrap(api.GET('/v1/requisitions/{id}/members', { params: { path: { id } } })),
  });
  return (
    <section aria-labelledby="members" className="section">
      <h2 id="members">{t('requisition.members')}</h2>
      {members.isPending ? (
        <Loading />
      ) : members.isError ? (
        <ErrorState error={members.error} retry={() => void members.refetch()} />
      ) : members.data.data.length === 0 ? (
        <Empty>{t('requisition.noMembers')}</Empty>
      ) : (
        <ul className="fu-rows">
          {members.data.data.map((m) => (
            <li key={m.userId} className="fu-row">
              <div>
                <strong>{m.name}</strong> <span className="muted">{m.email}</span>
                <p>
                  {word('roles', m.role)}
                  {m.active ? '' : ` · ${t('requisition.inactive')}`}
                </p>
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
