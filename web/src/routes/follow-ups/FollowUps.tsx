// What candidates and the organization wait on after the emails went out: questions to answer
// (the API emails the answer), ratings with comments, talent-pool joins, data requests with their
// legal due dates, and the signed-in person's notifications. Each section loads on its own, so
// one failing list does not hide the others.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Button, FieldError, Form, Label, TextArea, TextField } from 'react-aria-components';
import { api, ApiProblem, unwrap, type Schemas } from '../../api/client';
import { Empty, ErrorState, Loading } from '../../components/States';
import { t, word } from '../../i18n';

const when = (iso: string | null | undefined) => (iso ? new Date(iso).toLocaleString() : '—');
const day = (iso: string | null | undefined) => (iso ? new Date(iso).toLocaleDateString() : '—');

function Section({ id, title, children }: { id: string; title: string; children: React.ReactNode }) {
  return (
    <section aria-labelledby={id} className="section">
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

/** The three states, then the rows. */
function ListState<T>({
  query,
  empty,
  children,
}: {
  query: { isPending: boolean; isError: boolean; error: unknown; data?: { data: T[] }; refetch: () => unknown };
  empty: string;
  children: (rows: T[]) => React.ReactNode;
}) {
  if (query.isPending) return <Loading />;
  if (query.isError) return <ErrorState error={query.error} retry={() => void query.refetch()} />;
  const rows = query.data?.data ?? [];
  return rows.length === 0 ? <Empty>{empty}</Empty> : <>{children(rows)}</>;
}

export function FollowUps() {
  return (
    <>
      <h1>{t('followUps.title')}</h1>
      <Notifications />
      <Questions />
      <Ratings />
      <TalentPool />
      <DataRequests />
    </>
  );
}

function Notifications() {
  const queryClient = useQueryClient();
  const list = useQuery({ queryKey: ['notifications', 'list'], queryFn: () => unwrap(api.GET('/v1/notifications', { params: { query: { limit: 50 } } })) });
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['notifications'] });
  const readOne = useMutation({ mutationFn: (id: string) => unwrap(api.POST('/v1/notifications/{id}/read', { params: { path: { id } } })), onSuccess: refresh });
  // Up to the newest one shown: what arrives while the page is open stays unread.
  const readAll = useMutation({ mutationFn: (upToId: string) => unwrap(api.POST('/v1/notifications/read', { body: { upToId } })), onSuccess: refresh });
  const failure = readOne.error ?? readAll.error;
  const unread = list.data?.data.filter((n) => !n.readAt).length ?? 0;
  return (
    <Section id="notifications" title={t('followUps.notifications')}>
      <ListState query={list} empty={t('followUps.noNotifications')}>
        {(rows: Schemas['Notification'][]) => (
          <>
            {unread > 0 ? (
              <Button onPress={() => readAll.mutate(rows[0]!.id)} isPending={readAll.isPending}>
                {t('followUps.markAllRead')}
              </Button>
            ) : null}
            {failure ? <ErrorState error={failure} /> : null}
            <ul className="fu-rows">
              {rows.map((n) => (
                <li key={n.id} className={n.readAt ? 'fu-row read' : 'fu-row unread'} data-notification-id={n.id}>
                  <div>
                    <strong>{n.title}</strong> {n.readAt ? null : <span className="badge">{t('followUps.unread')}</span>}
                    <p>{n.summary}</p>
                    <p className="muted">
                      {when(n.createdAt)}
                      {n.dueAt ? ` · ${t('followUps.due', { date: day(n.dueAt) })}` : ''}
                    </p>
                  </div>
                  {n.readAt ? null : (
                    <Button onPress={() => readOne.mutate(n.id)} aria-label={t('followUps.markReadOne', { title: n.title })}>
                      {t('followUps.markRead')}
                    </Button>
                  )}
                </li>
              ))}
            </ul>
          </>
        )}
      </ListState>
    </Section>
  );
}

function Questions() {
  const [status, setStatus] = useState<'open' | 'answered'>('open');
  const list = useQuery({ queryKey: ['questions', status], queryFn: () => unwrap(api.GET('/v1/questions', { params: { query: { status, limit: 50 } } })) });
  return (
    <Section id="questions" title={t('followUps.questions')}>
      <div className="toggle" role="group" aria-label={t('followUps.questionsShown')}>
        {(['open', 'answered'] as const).map((s) => (
          <Button key={s} aria-pressed={status === s} onPress={() => setStatus(s)} className={status === s ? 'primary' : undefined}>
            {t(s === 'open' ? 'followUps.toAnswer' : 'followUps.answered')}
          </Button>
        ))}
      </div>
      <ListState query={list} empty={t(status === 'open' ? 'followUps.noQuestions' : 'followUps.noAnswered')}>
        {(rows: Schemas['FeedbackQuestion'][]) => (
          <ul className="fu-rows">
            {rows.map((q) => (
              <li key={q.id} className="fu-row question" data-question-id={q.id}>
                <div className="grow">
                  <p>
                    <strong>{q.candidateName ?? t('followUps.candidate')}</strong> <span className="muted">{t('followUps.asked', { time: when(q.askedAt) })}</span>
                  </p>
                  <blockquote>{q.question}</blockquote>
                  {q.answer !== null ? (
                    <>
                      <p>
                        <strong>{t('followUps.yourAnswer')}</strong> {q.answer}
                      </p>
                      <p className="muted answer-email">{answerEmailInWords(q.answerEmail)}</p>
                    </>
                  ) : (
                    <AnswerForm question={q} />
                  )}
                </div>
              </li>
            ))}
          </ul>
        )}
      </ListState>
    </Section>
  );
}

function answerEmailInWords(email: Schemas['FeedbackQuestion']['answerEmail']): string {
  if (!email) return t('followUps.emailNone');
  if (email.status === 'sent') return t('followUps.emailSent', { time: when(email.sentAt) });
  if (email.status === 'failed') return t('followUps.emailFailed', { reason: word('reasons', email.failureCode) });
  if (email.status === 'unknown') return t('followUps.emailUnknown');
  return t('followUps.emailPending');
}

function AnswerForm({ question }: { question: Schemas['FeedbackQuestion'] }) {
  const queryClient = useQueryClient();
  const [answer, setAnswer] = useState('');
  const save = useMutation({
    mutationFn: () => unwrap(api.POST('/v1/questions/{id}/answer', { params: { path: { id: question.id } }, body: { answer } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['questions'] }),
  });
  const problem = save.error instanceof ApiProblem ? save.error : null;
  const answerError = problem?.fieldError('body.answer');
  return (
    <Form
      validationErrors={answerError ? { answer: answerError } : {}}
      onSubmit={(event) => {
        event.preventDefault();
        save.mutate();
      }}
    >
      <TextField name="answer" value={answer} onChange={setAnswer} isRequired>
        <Label>{t('followUps.answer')}</Label>
        <TextArea rows={3} />
        <FieldError />
      </TextField>
      <p className="muted">{t('followUps.answerHint')}</p>
      {problem && !answerError ? (
        <p role="alert" className="error-text">
          {problem.detail}
        </p>
      ) : null}
      <div>
        <Button type="submit" className="primary" isPending={save.isPending}>
          {t('followUps.sendAnswer')}
        </Button>
      </div>
    </Form>
  );
}

function Ratings() {
  const list = useQuery({
    queryKey: ['candidate-events', 'candidate.feedback_rated'],
    queryFn: () => unwrap(api.GET('/v1/candidate-events', { params: { query: { type: 'candidate.feedback_rated', limit: 50 } } })),
  });
  return (
    <Section id="ratings" title={t('followUps.ratings')}>
      <ListState query={list} empty={t('followUps.noRatings')}>
        {(rows: Schemas['CandidateEvent'][]) => (
          <ul className="fu-rows">
            {rows.map((e) => {
              const rating = typeof e.detail?.rating === 'number' ? e.detail.rating : null;
              const comment = typeof e.detail?.comment === 'string' && e.detail.comment ? e.detail.comment : null;
              return (
                <li key={e.id} className="fu-row">
                  <div>
                    <p>
                      <strong>{e.candidateName ?? t('followUps.candidate')}</strong> {rating === null ? null : t('followUps.rating', { rating })}{' '}
                      <span className="muted">{when(e.occurredAt)}</span>
                    </p>
                    {comment ? <blockquote>{comment}</blockquote> : <p className="muted">{t('followUps.noComment')}</p>}
                  </div>
                </li>
              );
            })}
          </ul>
        )}
      </ListState>
    </Section>
  );
}

function TalentPool() {
  const list = useQuery({ queryKey: ['talent-pool'], queryFn: () => unwrap(api.GET('/v1/talent-pool', { params: { query: { limit: 50 } } })) });
  return (
    <Section id="talent-pool" title={t('followUps.talentPool')}>
      <ListState query={list} empty={t('followUps.noTalentPool')}>
        {(rows: Schemas['TalentPoolMember'][]) => (
          <ul className="fu-rows">
            {rows.map((m) => (
              <li key={m.id} className="fu-row">
                <div>
                  <p>
                    <strong>{m.name}</strong> <span className="muted">{t('followUps.joined', { time: when(m.joinedAt) })}</span>
                  </p>
                  {m.consent ? <p className="muted">{t('followUps.consent', { text: m.consent.text })}</p> : null}
                </div>
              </li>
            ))}
          </ul>
        )}
      </ListState>
    </Section>
  );
}

function DataRequests() {
  const list = useQuery({ queryKey: ['data-requests'], queryFn: () => unwrap(api.GET('/v1/data-requests', { params: { query: { status: 'pending', limit: 50 } } })) });
  return (
    <Section id="data-requests" title={t('followUps.dataRequests')}>
      <ListState query={list} empty={t('followUps.noDataRequests')}>
        {(rows: Schemas['DataRequestListItem'][]) => (
          <ul className="fu-rows">
            {rows.map((r) => (
              <li key={r.id} className="fu-row">
                <div>
                  <p>
                    <strong>{r.candidateName ?? t('followUps.candidate')}</strong> {t(r.kind === 'export' ? 'followUps.export' : 'followUps.deletion')}
                  </p>
                  <p className={r.overdue ? 'error-text' : 'muted'}>{r.overdue ? t('followUps.overdue', { date: day(r.dueAt) }) : t('followUps.due', { date: day(r.dueAt) })}</p>
                </div>
              </li>
            ))}
          </ul>
        )}
      </ListState>
    </Section>
  );
}
