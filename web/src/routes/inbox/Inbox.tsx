// The approval inbox: drafts waiting for approval (GET /v1/messages?status=pending_approval, cursor
// pages, a virtualised list), the current one shown exactly as the candidate will see it, and the
// keyboard to clear them: j/k next/previous, x select, a approve, Shift+A approve the selected,
// e edit the personal note. Each approval can be recalled until its send time (the undo window).
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Button, Checkbox } from 'react-aria-components';
import { useSearchParams } from 'react-router';
import { api, ApiProblem, unwrap, type Schemas } from '../../api/client';
import { draftsQuery, messageQuery, organizationQuery } from '../../api/queries';
import { Empty, ErrorState, Loading } from '../../components/States';
import { t, word } from '../../i18n';
import { EmailPreview } from './EmailPreview';
import { EditNote } from './EditNote';
import { UndoTray, type Approved } from './UndoTray';

type Draft = Schemas['MessageListItem'];
const ROW_HEIGHT = 64;
/** POST /v1/message-approvals takes at most this many at once. */
const MAX_BATCH = 500;

/** Controls that are not for typing: letters are shortcuts there, arrows stay theirs. */
const CHOICES = new Set(['radio', 'checkbox', 'button', 'submit', 'reset']);
/** Keys typed into a field are the field's, not shortcuts. */
const typing = (target: EventTarget | null) =>
  target instanceof HTMLElement &&
  (target.isContentEditable ||
    ['TEXTAREA', 'SELECT'].includes(target.tagName) ||
    (target instanceof HTMLInputElement && !CHOICES.has(target.type)) ||
    target.closest('[role="dialog"]') !== null);
/** Arrow keys on a radio or checkbox move between its choices. */
const choosing = (target: EventTarget | null, key: string) => target instanceof HTMLInputElement && key.startsWith('Arrow');

export function Inbox() {
  const queryClient = useQueryClient();
  // From a requisition's card: only its drafts.
  const [params] = useSearchParams();
  const requisitionId = params.get('requisition') ?? undefined;
  const drafts = useInfiniteQuery(draftsQuery(requisitionId));
  const organization = useQuery(organizationQuery);
  const [done, setDone] = useState<ReadonlySet<string>>(new Set());
  const rows = useMemo(() => (drafts.data?.pages ?? []).flatMap((page) => page.data).filter((row) => !done.has(row.id)), [drafts.data, done]);
  const [index, setIndex] = useState(0);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [editing, setEditing] = useState(false);
  const [approved, setApproved] = useState<Approved[]>([]);
  const [notice, setNotice] = useState('');
  const current: Draft | undefined = rows[Math.min(index, rows.length - 1)];
  // The drafts either side of the current one, read ahead: j and k show their email at once.
  const position = Math.min(index, rows.length - 1);
  const [previousDraft, nextDraft] = [rows[position - 1], rows[position + 1]];
  useEffect(() => {
    for (const draft of [nextDraft, previousDraft]) if (draft) void queryClient.prefetchQuery(messageQuery(draft.id, draft.contentVersion));
  }, [queryClient, nextDraft, previousDraft]);

  const listRef = useRef<HTMLDivElement>(null);
  // TanStack Virtual is not React-Compiler-safe; this component is not compiled (no compiler in the build).
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => listRef.current, estimateSize: () => ROW_HEIGHT, overscan: 8 });

  const move = useCallback(
    (to: number) => {
      const next = Math.max(0, Math.min(rows.length - 1, to));
      setIndex(next);
      virtualizer.scrollToIndex(next, { align: 'auto' });
      // Near the end of what is loaded: the next page, before the recruiter gets there.
      if (next > rows.length - 20 && drafts.hasNextPage && !drafts.isFetchingNextPage) void drafts.fetchNextPage();
    },
    [rows.length, virtualizer, drafts],
  );

  const finish = (results: { id: string; sendAt: string | null }[]) => {
    setDone((previous) => new Set([...previous, ...results.map((r) => r.id)]));
    setSelected((previous) => new Set([...previous].filter((id) => !results.some((r) => r.id === id))));
    const byId = new Map(rows.map((row) => [row.id, row]));
    setApproved((previous) => [
      ...results.filter((r) => r.sendAt).map((r) => ({ id: r.id, name: byId.get(r.id)?.candidateName ?? byId.get(r.id)?.recipientEmail ?? '', sendAt: r.sendAt! })),
      ...previous,
    ]);
    void queryClient.invalidateQueries({ queryKey: ['messages', 'sent'] });
    // Read again when the inbox next opens (here, `done` hides them without a round trip).
    void queryClient.invalidateQueries({ queryKey: ['messages', 'pending_approval'], refetchType: 'none' });
  };

  const approveOne = useMutation({
    mutationFn: (draft: Draft) => unwrap(api.POST('/v1/messages/{id}/approve', { params: { path: { id: draft.id } }, body: { contentVersion: draft.contentVersion } })),
    onSuccess: (message) => {
      finish([{ id: message.id, sendAt: message.sendAt }]);
      setNotice(t('inbox.approved', { time: message.sendAt ? new Date(message.sendAt).toLocaleTimeString() : '—' }));
    },
    onError: (error) => setNotice(error instanceof ApiProblem ? error.detail : String(error)),
  });
  const approveMany = useMutation({
    mutationFn: (items: Draft[]) => unwrap(api.POST('/v1/message-approvals', { body: { items: items.map((d) => ({ id: d.id, contentVersion: d.contentVersion })) } })),
    onSuccess: ({ results }) => {
      const ok = results.filter((r) => !r.error);
      const failed = results.filter((r) => r.error);
      finish(ok.map((r) => ({ id: r.id, sendAt: r.sendAt })));
      setNotice(
        [t('inbox.approvedMany', { count: ok.length }), failed.length ? t('inbox.failedMany', { count: failed.length, detail: failed[0]!.error!.detail }) : '']
          .filter(Boolean)
          .join(' '),
      );
    },
    onError: (error) => setNotice(error instanceof ApiProblem ? error.detail : String(error)),
  });

  const approveSelected = () => {
    const items = rows.filter((row) => selected.has(row.id)).slice(0, MAX_BATCH);
    if (items.length) approveMany.mutate(items);
  };
  const toggle = (id: string) =>
    setSelected((previous) => {
      const next = new Set(previous);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || typing(event.target) || editing) return;
      const key = event.key;
      if (choosing(event.target, key)) return;
      if (key === 'j' || key === 'ArrowDown') move(index + 1);
      else if (key === 'k' || key === 'ArrowUp') move(index - 1);
      else if (key === 'x' && current) toggle(current.id);
      else if (key === 'a' && current && !approveOne.isPending) approveOne.mutate(current);
      else if (key === 'A') approveSelected();
      else if (key === 'e' && current) setEditing(true);
      else return;
      event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  if (drafts.isPending) return <Title count={null} />;
  return (
    <>
      <Title count={rows.length} />
      <p className="muted keys">{t('inbox.keys')}</p>
      {organization.data?.fourEyesApproval ? <p className="notice">{t('inbox.fourEyes')}</p> : null}
      <p role="status" aria-live="polite" className="live">
        {notice}
      </p>
      <UndoTray items={approved} onGone={(id) => setApproved((previous) => previous.filter((a) => a.id !== id))} onNotice={setNotice} />
      {drafts.isError ? (
        <ErrorState error={drafts.error} retry={() => void drafts.refetch()} />
      ) : rows.length === 0 ? (
        <Empty>{t('inbox.empty')}</Empty>
      ) : (
        <div className="inbox">
          <section aria-label={t('inbox.listLabel')} className="queue">
            <div className="queue-actions">
              <Button className="primary" isDisabled={selected.size === 0 || approveMany.isPending} onPress={approveSelected}>
                {approveMany.isPending ? t('inbox.approving') : t('inbox.approveSelected', { count: selected.size })}
              </Button>
              <Button isDisabled={approveMany.isPending} onPress={() => approveMany.mutate(rows.slice(0, MAX_BATCH))}>
                {t('inbox.approveAll', { count: Math.min(rows.length, MAX_BATCH) })}
              </Button>
            </div>
            <div ref={listRef} className="queue-scroll">
              <ul style={{ height: virtualizer.getTotalSize() }} className="queue-list" aria-label={t('inbox.listLabel')}>
                {virtualizer.getVirtualItems().map((item) => {
                  const row = rows[item.index]!;
                  const isCurrent = row.id === current?.id;
                  return (
                    <li key={row.id} className={isCurrent ? 'row current' : 'row'} style={{ transform: `translateY(${item.start}px)`, height: item.size }} data-message-id={row.id}>
                      <Checkbox isSelected={selected.has(row.id)} onChange={() => toggle(row.id)} aria-label={t('inbox.select', { name: row.candidateName ?? row.recipientEmail })}>
                        <span className="box" aria-hidden="true" />
                      </Checkbox>
                      <button type="button" className="row-open" aria-current={isCurrent ? 'true' : undefined} onClick={() => setIndex(item.index)}>
                        <strong>{row.candidateName ?? row.recipientEmail}</strong>
                        <span className="muted">
                          {word('kinds', row.kind)} · {word('languages', row.locale)}
                          {row.severity ? ` · ${row.severity}` : ''}
                        </span>
                      </button>
                    </li>
                  );
                })}
              </ul>
            </div>
            {drafts.hasNextPage ? (
              <Button onPress={() => void drafts.fetchNextPage()} isPending={drafts.isFetchingNextPage}>
                {t('inbox.more')}
              </Button>
            ) : null}
          </section>
          {current ? (
            <Detail draft={current} policy={organization.data} onApprove={() => approveOne.mutate(current)} approving={approveOne.isPending} onEdit={() => setEditing(true)} />
          ) : (
            <Empty>{t('inbox.pick')}</Empty>
          )}
          {editing && current ? <EditNote id={current.id} onClose={() => setEditing(false)} onSaved={() => setNotice(t('inbox.saved'))} /> : null}
        </div>
      )}
    </>
  );
}

function Title({ count }: { count: number | null }) {
  return (
    <>
      <h1>{t('inbox.title')}</h1>
      {count === null ? <Loading /> : <p className="muted">{t('inbox.count', { count })}</p>}
    </>
  );
}

type Policy = Schemas['Organization'];

/** Why a draft goes out when it does, from the organization's send policy. */
function sendTimeWhy(policy: Policy | undefined): string {
  if (!policy) return t('inbox.sendsAfterApproval');
  const parts = [t('inbox.whyUndo', { minutes: policy.undoWindowMinutes })];
  if (policy.sendHourStart !== 0 || policy.sendHourEnd !== 24) parts.push(t('inbox.whyHours', { start: policy.sendHourStart, end: policy.sendHourEnd }));
  if (policy.sendWeekdaysOnly) parts.push(t('inbox.whyWeekdays'));
  if (policy.hoursAfterInterview > 0) parts.push(t('inbox.whyInterview', { hours: policy.hoursAfterInterview }));
  return parts.join('; ');
}

function Detail({ draft, policy, onApprove, approving, onEdit }: { draft: Draft; policy: Policy | undefined; onApprove: () => void; approving: boolean; onEdit: () => void }) {
  const message = useQuery(messageQuery(draft.id, draft.contentVersion));
  const name = draft.candidateName ?? draft.recipientEmail;
  return (
    <article className="detail" aria-labelledby="detail-title">
      <h2 id="detail-title">{name}</h2>
      <dl className="facts">
        <div>
          <dt>{t('inbox.recipient')}</dt>
          <dd>{draft.recipientEmail}</dd>
        </div>
        <div>
          <dt>{t('inbox.kind')}</dt>
          <dd>{word('kinds', draft.kind)}</dd>
        </div>
        <div>
          <dt>{t('inbox.language')}</dt>
          <dd>{word('languages', draft.locale)}</dd>
        </div>
        <div>
          <dt>{t('inbox.sendTime')}</dt>
          <dd>{draft.sendAt ? new Date(draft.sendAt).toLocaleString() : sendTimeWhy(policy)}</dd>
        </div>
        <div>
          <dt>{t('inbox.subject')}</dt>
          <dd>{draft.subject ?? '—'}</dd>
        </div>
      </dl>
      <div className="detail-actions">
        <Button className="primary" onPress={onApprove} isPending={approving}>
          {t('inbox.approve')}
        </Button>
        <Button onPress={onEdit}>{t('inbox.edit')}</Button>
      </div>
      {message.isPending ? (
        <Loading />
      ) : message.isError ? (
        <ErrorState error={message.error} retry={() => void message.refetch()} />
      ) : (
        <>
          {message.data.lint?.length ? (
            <section aria-label={t('inbox.findings')}>
              <h3>{t('inbox.findings')}</h3>
              <ul>
                {message.data.lint.map((finding, i) => (
                  <li key={i}>
                    <strong>{finding.severity}</strong> {finding.message}
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
          <EmailPreview name={name} html={message.data.html} text={message.data.text} />
        </>
      )}
    </article>
  );
}
