// Screen 4, the decision: who gets the offer or the hire, what everyone else hears (by default the
// rejection that fits their stage: after an interview or after the application) and the feedback
// each gets, linted as it is typed; then the plan the API computes, with every check in words,
// where a blocked person is left out (or, with the override permission, sent to anyway with a
// reason); confirmed by typing the chosen candidate's name. Drafts then wait in the approval inbox.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-aria-components';
import { useParams } from 'react-router';
import { api, ApiProblem, unwrap, type Schemas } from '../../api/client';
import { Empty, ErrorState, Loading } from '../../components/States';
import { t } from '../../i18n';
import { planBody, type Choices } from './choices';
import { ChooseStep } from './ChooseStep';
import { PlanReview } from './PlanReview';

const OPEN = new Set(['open', 'on_hold']);

export function Decision() {
  const { id = '' } = useParams();
  const query = { params: { query: { requisitionId: id, limit: 200 } } };
  const requisition = useQuery({ queryKey: ['requisition', id], queryFn: () => unwrap(api.GET('/v1/requisitions/{id}', { params: { path: { id } } })) });
  const applications = useQuery({ queryKey: ['applications', id], queryFn: () => unwrap(api.GET('/v1/applications', query)) });
  const candidates = useQuery({ queryKey: ['candidates', 'requisition', id], queryFn: () => unwrap(api.GET('/v1/candidates', query)) });
  const parts = [requisition, applications, candidates];
  const failed = parts.find((part) => part.isError);
  return (
    <>
      <p>
        <Link href={`/requisitions/${id}`}>{t('decision.back')}</Link>
      </p>
      <h1>{requisition.data ? t('decision.titleFor', { title: requisition.data.title }) : t('decision.title')}</h1>
      {failed ? (
        <ErrorState error={failed.error} retry={() => parts.forEach((part) => void part.refetch())} />
      ) : !requisition.data || !applications.data || !candidates.data ? (
        <Loading />
      ) : !OPEN.has(requisition.data.status) ? (
        <Empty>{t('decision.closed', { status: requisition.data.status })}</Empty>
      ) : (
        <DecisionFlow requisitionId={id} defaultLocale={requisition.data.defaultLocale} applications={applications.data.data} candidates={candidates.data.data} />
      )}
    </>
  );
}

function DecisionFlow({
  requisitionId,
  defaultLocale,
  applications,
  candidates,
}: {
  requisitionId: string;
  defaultLocale: string | null;
  applications: Schemas['Application'][];
  candidates: Schemas['Candidate'][];
}) {
  const queryClient = useQueryClient();
  const active = applications.filter((a) => a.status === 'active');
  const [choices, setChoices] = useState<Choices>({ action: 'hire', chosenId: null, leftOut: new Set(), kinds: {}, feedback: {} });
  const [confirmation, setConfirmation] = useState<Schemas['PlanConfirmation'] | null>(null);
  // The plan on screen stays while it is made again (someone left out), so nothing flickers or loses focus.
  const [shown, setShown] = useState<Schemas['DecisionPlan'] | null>(null);
  const plan = useMutation({
    mutationFn: (next: Choices) => unwrap(api.POST('/v1/requisitions/{id}/plans', { params: { path: { id: requisitionId } }, body: planBody(next, active) })),
    onSuccess: setShown,
  });
  const makePlan = (next: Choices) => {
    setChoices(next);
    plan.mutate(next);
  };
  const problem = plan.error instanceof ApiProblem ? plan.error : null;
  const step = confirmation ? 3 : shown ? 2 : 1;

  if (active.length === 0 && !confirmation) return <Empty>{t('decision.nobody')}</Empty>;
  return (
    <>
      <ol className="steps decision-steps" aria-label={t('decision.steps')}>
        {(['decision.stepChoose', 'decision.stepPlan', 'decision.stepDone'] as const).map((key, i) => (
          <li key={key} aria-current={step === i + 1 ? 'step' : undefined}>
            {t(key)}
          </li>
        ))}
      </ol>
      {confirmation ? (
        <Done requisitionId={requisitionId} confirmation={confirmation} />
      ) : shown ? (
        <PlanReview
          key={shown.id}
          plan={shown}
          candidates={candidates}
          applications={applications}
          replanning={plan.isPending}
          onLeaveOut={(applicationId) => makePlan({ ...choices, leftOut: new Set([...choices.leftOut, applicationId]) })}
          onReplan={() => makePlan(choices)}
          replanError={plan.error}
          onEdit={() => {
            plan.reset();
            setShown(null);
          }}
          onConfirmed={(result) => {
            setConfirmation(result);
            void queryClient.invalidateQueries({ queryKey: ['applications', requisitionId] });
            void queryClient.invalidateQueries({ queryKey: ['messages'] });
          }}
        />
      ) : (
        <ChooseStep
          active={active}
          candidates={candidates}
          defaultLocale={defaultLocale}
          choices={choices}
          setChoices={setChoices}
          onPlan={() => makePlan(choices)}
          pending={plan.isPending}
          problem={problem}
          error={plan.error}
        />
      )}
    </>
  );
}

function Done({ requisitionId, confirmation }: { requisitionId: string; confirmation: Schemas['PlanConfirmation'] }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <section aria-labelledby="done" className="section" role="status">
      <h2 id="done" tabIndex={-1} ref={heading}>
        {t('decision.doneTitle')}
      </h2>
      <p>{t('decision.done', { decisions: confirmation.decisions.length, drafts: confirmation.messages.length })}</p>
      {confirmation.overrides.length > 0 ? <p>{t('decision.doneOverrides', { count: confirmation.overrides.length })}</p> : null}
      <p>
        <Link href={`/inbox?requisition=${requisitionId}`}>{t('decision.toInbox')}</Link>
      </p>
    </section>
  );
}
