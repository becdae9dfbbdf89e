// Screen 4, the decision: who gets the offer or the hire, what everyone else hears (by default the
// rejection that fits their stage: after an interview or after the application) and the feedback
// each gets, linted as it is typed; then the plan the API computes, with every check in words,
// where a blocked person is left out (or, with the override permission, sent to anyway with a
// reason); confirmed by typing the chosen candidate's name. Drafts then wait in the approval inbox.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { Button, Checkbox, Disclosure, DisclosurePanel, Form, Heading, Label, Link, Radio, RadioGroup } from 'react-aria-components';
import { useParams } from 'react-router';
import { api, ApiProblem, unwrap, type Schemas } from '../../api/client';
import { SelectField } from '../../components/SelectField';
import { Empty, ErrorState, Loading } from '../../components/States';
import { t, word } from '../../i18n';
import { emptyDraft, hasText, toFeedback, type FeedbackDraft } from './feedback';
import { FeedbackEditor } from './FeedbackEditor';
import { PlanReview } from './PlanReview';

type ChosenAction = 'hire' | 'offer';
const KINDS: string[] = ['rejection_after_interview', 'rejection_after_application', 'status_update', 'position_on_hold', 'position_cancelled', 'talent_pool_invite'];
const REJECTIONS = new Set<string>(['rejection_after_interview', 'rejection_after_application']);
const OPEN = new Set(['open', 'on_hold']);

/** As the API proposes for everyone waiting: a rejection after an interview once they had one, else after the application. */
export const defaultKind = (application: Schemas['Application']) => (application.lastInterviewAt ? 'rejection_after_interview' : 'rejection_after_application');

export interface Choices {
  action: ChosenAction;
  chosenId: string | null;
  leftOut: Set<string>;
  kinds: Record<string, string>;
  feedback: Record<string, FeedbackDraft>;
}

/** The body of POST /v1/requisitions/{id}/plans for these choices. */
export function planBody(choices: Choices, active: Schemas['Application'][]) {
  const targets = active.filter((a) => a.id !== choices.chosenId && !choices.leftOut.has(a.id));
  const kindOf = (a: Schemas['Application']) => choices.kinds[a.id] ?? defaultKind(a);
  return {
    chosen: choices.chosenId ? [{ applicationId: choices.chosenId, action: choices.action, messageKind: null }] : [],
    targets: { mode: 'list' as const, applicationIds: targets.map((a) => a.id) },
    // One action for the plan: a rejection when anyone is rejected (a mixed plan's kind_mismatch says so in words).
    action: targets.some((a) => REJECTIONS.has(kindOf(a))) || targets.length === 0 ? ('reject' as const) : ('update' as const),
    messageKind: targets[0] ? kindOf(targets[0]) : 'rejection_after_interview',
    messageKinds: Object.fromEntries(targets.map((a) => [a.id, kindOf(a)])),
    feedback: Object.fromEntries(targets.flatMap((a) => (choices.feedback[a.id] && hasText(choices.feedback[a.id]!) ? [[a.id, toFeedback(choices.feedback[a.id]!)]] : []))),
  };
}

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
        <DecisionFlow requisitionId={id} applications={applications.data.data} candidates={candidates.data.data} />
      )}
    </>
  );
}

function DecisionFlow({ requisitionId, applications, candidates }: { requisitionId: string; applications: Schemas['Application'][]; candidates: Schemas['Candidate'][] }) {
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

interface ChooseProps {
  active: Schemas['Application'][];
  candidates: Schemas['Candidate'][];
  choices: Choices;
  setChoices: (choices: Choices) => void;
  onPlan: () => void;
  pending: boolean;
  problem: ApiProblem | null;
  error: unknown;
}

function ChooseStep({ active, candidates, choices, setChoices, onPlan, pending, problem, error }: ChooseProps) {
  const byId = new Map(candidates.map((c) => [c.id, c]));
  const nameOf = (a: Schemas['Application']) => byId.get(a.candidateId)?.name ?? '—';
  // Records the API linked as one person (the plan's checks say why): said up front, by name.
  const samePerson = (a: Schemas['Application']) => {
    const names = (byId.get(a.candidateId)?.sameAs ?? []).flatMap((id) => byId.get(id)?.name ?? []);
    return names.length > 0 ? t('decision.samePerson', { names: names.join(', ') }) : null;
  };
  const actionWord = t(choices.action === 'hire' ? 'decision.hire' : 'decision.offer').toLowerCase();
  const others = active.filter((a) => a.id !== choices.chosenId);
  const chosenError = problem?.fieldError('body.chosen');
  const unplaced = problem && problem.errors.every((e) => !e.path.startsWith('body.chosen') && !e.path.startsWith('body.feedback') && !e.path.startsWith('body.messageKinds'));
  return (
    <Form
      validationBehavior="aria"
      className="react-aria-Form decision-form"
      onSubmit={(event) => {
        event.preventDefault();
        onPlan();
      }}
    >
      <p className="muted">{t('decision.intro')}</p>
      <RadioGroup
        value={choices.action}
        onChange={(value) => setChoices({ ...choices, action: value === 'offer' ? 'offer' : 'hire' })}
        orientation="horizontal"
        className="filters"
      >
        <Label>{t('decision.action')}</Label>
        <Radio value="hire">{t('decision.hire')}</Radio>
        <Radio value="offer">{t('decision.offer')}</Radio>
      </RadioGroup>

      <RadioGroup value={choices.chosenId} onChange={(chosenId) => setChoices({ ...choices, chosenId })} className="chosen-list" isInvalid={chosenError !== undefined}>
        <Label className="legend">{t('decision.chosen', { action: actionWord })}</Label>
        <p className="muted">{t('decision.chosenHint')}</p>
        {active.map((a) => (
          <Radio key={a.id} value={a.id} className="react-aria-Radio chosen-option">
            <span>
              <strong>{nameOf(a)}</strong> <span className="muted">{byId.get(a.candidateId)?.emails[0]?.address}</span>
              <br />
              <span className="muted">{stageLine(a)}</span>
              {samePerson(a) ? (
                <>
                  <br />
                  <span className="muted">{samePerson(a)}</span>
                </>
              ) : null}
            </span>
          </Radio>
        ))}
        {chosenError ? <p className="error-text">{chosenError}</p> : null}
      </RadioGroup>

      <section aria-labelledby="others" className="section">
        <h2 id="others">{t('decision.others', { count: others.length })}</h2>
        {others.length === 0 ? (
          <Empty>{t('decision.noOthers')}</Empty>
        ) : (
          <ul className="fu-rows">
            {others.map((a) => (
              <Other
                key={a.id}
                application={a}
                name={nameOf(a)}
                samePerson={samePerson(a)}
                email={byId.get(a.candidateId)?.emails[0]?.address}
                choices={choices}
                setChoices={setChoices}
                problem={problem}
              />
            ))}
          </ul>
        )}
      </section>

      {unplaced || (error && !problem) ? <ErrorState error={error} /> : null}
      <div className="detail-actions">
        <Button type="submit" className="primary" isDisabled={choices.chosenId === null} isPending={pending}>
          {pending ? t('decision.planning') : t('decision.makePlan')}
        </Button>
        {choices.chosenId === null ? <span className="muted">{t('decision.pickChosen', { action: actionWord })}</span> : null}
      </div>
    </Form>
  );
}

const stageLine = (a: Schemas['Application']) =>
  `${a.stage ? t('decision.stage', { stage: a.stage }) : t('decision.noStage')} · ${a.lastInterviewAt ? t('decision.interviewed', { date: new Date(a.lastInterviewAt).toLocaleDateString() }) : t('decision.notInterviewed')}`;

interface OtherProps {
  application: Schemas['Application'];
  name: string;
  samePerson: string | null;
  email: string | undefined;
  choices: Choices;
  setChoices: (choices: Choices) => void;
  problem: ApiProblem | null;
}

/** One applicant who hears the decision: their message, their feedback, or left out. */
function Other({ application: a, name, samePerson, email, choices, setChoices, problem }: OtherProps) {
  const kind = choices.kinds[a.id] ?? defaultKind(a);
  const leftOut = choices.leftOut.has(a.id);
  const draft = choices.feedback[a.id] ?? emptyDraft();
  const kindError = problem?.fieldError(`body.messageKinds.${a.id}`);
  return (
    <li className={`fu-row other${leftOut ? ' left-out' : ''}`} data-application-id={a.id}>
      <div className="grow">
        <p>
          <strong>{name}</strong> <span className="muted">{email}</span>
        </p>
        <p className="muted">{stageLine(a)}</p>
        {samePerson ? <p className="muted">{samePerson}</p> : null}
        <Checkbox
          isSelected={leftOut}
          onChange={(selected) => {
            const next = new Set(choices.leftOut);
            if (selected) next.add(a.id);
            else next.delete(a.id);
            setChoices({ ...choices, leftOut: next });
          }}
        >
          <span className="box" aria-hidden="true" />
          {t('decision.leaveOut', { name })}
        </Checkbox>
        {leftOut ? null : (
          <>
            <SelectField
              label={t('decision.messageKind', { name })}
              value={kind}
              options={KINDS.includes(kind) ? KINDS : [...KINDS, kind]}
              text={(k) => word('kinds', k)}
              onChange={(value) => setChoices({ ...choices, kinds: { ...choices.kinds, [a.id]: value } })}
              isInvalid={kindError !== undefined}
            />
            <p className="muted small">{kindError ?? t('decision.kindDefault', { kind: word('kinds', defaultKind(a)) })}</p>
            <Disclosure defaultExpanded={problem?.fieldError(`body.feedback.${a.id}`) !== undefined}>
              <Heading level={3}>
                <Button slot="trigger" className="disclosure-trigger">
                  {t('decision.writeFeedback', { name })}
                </Button>
              </Heading>
              <DisclosurePanel>
                <FeedbackEditor
                  applicationId={a.id}
                  name={name}
                  kind={kind}
                  draft={draft}
                  onChange={(next) => setChoices({ ...choices, feedback: { ...choices.feedback, [a.id]: next } })}
                  problem={problem}
                />
              </DisclosurePanel>
            </Disclosure>
          </>
        )}
      </div>
    </li>
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
