// Open requisitions with their closure progress: how many applicants heard a final word, and
// what still waits, is held, failed, or is past a promised date (GET /v1/reports/closure).
import { useQuery } from '@tanstack/react-query';
import { Label, Link, Meter } from 'react-aria-components';
import { api, unwrap, type Schemas } from '../../api/client';
import { Empty, ErrorState, Loading } from '../../components/States';
import { t } from '../../i18n';

export function Requisitions() {
  const list = useQuery({
    queryKey: ['requisitions', 'open'],
    queryFn: () => unwrap(api.GET('/v1/requisitions', { params: { query: { status: 'open', limit: 100 } } })),
  });
  return (
    <>
      <h1>{t('requisitions.title')}</h1>
      {list.isPending ? (
        <Loading />
      ) : list.isError ? (
        <ErrorState error={list.error} retry={() => void list.refetch()} />
      ) : list.data.data.length === 0 ? (
        <Empty>{t('requisitions.empty')}</Empty>
      ) : (
        <ul className="cards">
          {list.data.data.map((requisition) => (
            <RequisitionCard key={requisition.id} requisition={requisition} />
          ))}
        </ul>
      )}
    </>
  );
}

function RequisitionCard({ requisition }: { requisition: Schemas['Requisition'] }) {
  const report = useQuery({
    queryKey: ['closure', requisition.id],
    queryFn: () => unwrap(api.GET('/v1/reports/closure', { params: { query: { requisitionId: requisition.id } } })),
  });
  const headingId = `requisition-${requisition.id}`;
  return (
    <li className="card" aria-labelledby={headingId}>
      <h2 id={headingId}>{requisition.title}</h2>
      {requisition.location ? <p className="muted">{requisition.location}</p> : null}
      <p className="card-links">
        <Link href={`/requisitions/${requisition.id}`}>{t('requisition.open')}</Link>
        <Link href={`/inbox?requisition=${requisition.id}`}>{t('requisitions.drafts')}</Link>
      </p>
      {report.isPending ? (
        <Loading />
      ) : report.isError ? (
        <ErrorState error={report.error} retry={() => void report.refetch()} />
      ) : report.data.applicants === 0 ? (
        <p className="muted">{t('requisitions.noApplicants')}</p>
      ) : (
        <>
          <Meter value={report.data.withFinalWord} maxValue={report.data.applicants} className="meter">
            {({ percentage }) => (
              <>
                <Label>{t('requisitions.finalWord', { done: report.data.withFinalWord, total: report.data.applicants })}</Label>
                <div className="bar">
                  <div className="fill" style={{ width: `${percentage}%` }} />
                </div>
              </>
            )}
          </Meter>
          <dl className="counts">
            <div>
              <dt>{t('requisitions.waiting')}</dt>
              <dd>{report.data.waiting}</dd>
            </div>
            <div>
              <dt>{t('requisitions.held')}</dt>
              <dd>{report.data.held}</dd>
            </div>
            <div>
              <dt>{t('requisitions.failed')}</dt>
              <dd>{report.data.failed}</dd>
            </div>
            <div>
              <dt>{t('requisitions.overdue')}</dt>
              <dd>{report.data.overdueNow}</dd>
            </div>
          </dl>
        </>
      )}
    </li>
  );
}
