// Sent and held: messages by status, each with the reason in words and the step the lifecycle
// allows from there (held/failed: send again, edit, cancel; approved/scheduled: recall, cancel;
// recalled: edit; sending/sent/delivered/bounced: nothing left to do).
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { Button, Label, Radio, RadioGroup } from 'react-aria-components';
import { api, ApiProblem, unwrap, type Schemas } from '../../api/client';
import { Empty, ErrorState, Loading } from '../../components/States';
import { t, word } from '../../i18n';
import { EditNote } from '../inbox/EditNote';

type Status = Schemas['MessageListItem']['status'];
type Row = Schemas['MessageListItem'];
type Step = 'retry' | 'cancel' | 'recall' | 'edit';

const STATUSES: Status[] = ['held', 'failed', 'approved', 'scheduled', 'sending', 'sent', 'delivered', 'bounced', 'recalled', 'cancelled'];

const STEPS: Partial<Record<Status, Step[]>> = {
  held: ['retry', 'edit', 'cancel'],
  failed: ['retry', 'edit', 'cancel'],
  approved: ['recall', 'cancel'],
  scheduled: ['recall', 'cancel'],
  recalled: ['edit'],
};

const reasonOf = (row: Row) => (row.failureCode ? word('reasons', row.failureCode) : (row.failureReason ?? '—'));

export function Sent() {
  const [status, setStatus] = useState<Status>('held');
  const [notice, setNotice] = useState('');
  const [editing, setEditing] = useState<string | null>(null);
  const queryClient = useQueryClient();
  const list = useInfiniteQuery({
    queryKey: ['messages', 'sent', status],
    queryFn: ({ pageParam }) => unwrap(api.GET('/v1/messages', { params: { query: { status, limit: 50, ...(pageParam ? { cursor: pageParam } : {}) } } })),
    initialPageParam: '',
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const rows = useMemo(() => (list.data?.pages ?? []).flatMap((page) => page.data), [list.data]);
  const act = useMutation({
    mutationFn: async ({ step, id }: { step: Exclude<Step, 'edit'>; id: string }) => {
      const params = { params: { path: { id } } };
      if (step === 'retry') return unwrap(api.POST('/v1/messages/{id}/retry', params));
      if (step === 'recall') return unwrap(api.POST('/v1/messages/{id}/recall', params));
      return unwrap(api.POST('/v1/messages/{id}/cancel', params));
    },
    onSuccess: async (_message, { step }) => {
      setNotice(step === 'retry' ? t('sent.retried') : step === 'recall' ? t('inbox.recalled') : t('sent.cancelled'));
      await queryClient.invalidateQueries({ queryKey: ['messages'] });
    },
    onError: (error) => setNotice(error instanceof ApiProblem ? error.detail : String(error)),
  });

  return (
    <>
      <h1>{t('sent.title')}</h1>
      <RadioGroup value={status} onChange={(value) => setStatus(STATUSES.find((s) => s === value) ?? 'held')} orientation="horizontal" className="filters">
        <Label>{t('sent.filter')}</Label>
        {STATUSES.map((s) => (
          <Radio key={s} value={s}>
            {word('statuses', s)}
          </Radio>
        ))}
      </RadioGroup>
      <p role="status" aria-live="polite" className="live">
        {notice}
      </p>
      {editing ? (
        <EditNote
          id={editing}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setNotice(t('sent.edited'));
            void queryClient.invalidateQueries({ queryKey: ['messages'] });
          }}
        />
      ) : null}
      {list.isPending ? (
        <Loading />
      ) : list.isError ? (
        <ErrorState error={list.error} retry={() => void list.refetch()} />
      ) : rows.length === 0 ? (
        <Empty>{t('sent.empty')}</Empty>
      ) : (
        <>
          <div className="table-scroll" tabIndex={0} role="region" aria-label={t('sent.title')}>
            <table className="messages">
              <thead>
                <tr>
                  <th scope="col">{t('inbox.recipient')}</th>
                  <th scope="col">{t('inbox.kind')}</th>
                  <th scope="col">{t('sent.status')}</th>
                  <th scope="col">{t('sent.reason')}</th>
                  <th scope="col">{t('sent.next')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => (
                  <tr key={row.id} data-message-id={row.id}>
                    <td>
                      <strong>{row.candidateName ?? row.recipientEmail}</strong>
                      <br />
                      <span className="muted">{row.recipientEmail}</span>
                    </td>
                    <td>{word('kinds', row.kind)}</td>
                    <td>
                      {word('statuses', row.status)}
                      {row.sentAt ? <span className="muted"> · {new Date(row.sentAt).toLocaleString()}</span> : null}
                      {!row.sentAt && row.sendAt ? <span className="muted"> · {new Date(row.sendAt).toLocaleString()}</span> : null}
                    </td>
                    <td>{reasonOf(row)}</td>
                    <td>
                      <div className="steps">
                        {(STEPS[row.status] ?? []).length === 0 ? <span className="muted">{t('sent.none')}</span> : null}
                        {(STEPS[row.status] ?? []).map((step) =>
                          step === 'edit' ? (
                            <Button key={step} onPress={() => setEditing(row.id)}>
                              {t('inbox.edit')}
                            </Button>
                          ) : (
                            <Button key={step} onPress={() => act.mutate({ step, id: row.id })} isPending={act.isPending && act.variables?.id === row.id}>
                              {step === 'retry' ? t('sent.retry') : step === 'recall' ? t('inbox.recall') : t('sent.cancelMessage')}
                            </Button>
                          ),
                        )}
                      </div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {list.hasNextPage ? (
            <Button onPress={() => void list.fetchNextPage()} isPending={list.isFetchingNextPage}>
              {t('sent.more')}
            </Button>
          ) : null}
        </>
      )}
    </>
  );
}
