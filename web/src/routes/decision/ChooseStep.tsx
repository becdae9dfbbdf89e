// The decision screen's first step: the offer or the hire and who gets it, then everyone else with
// their message, their feedback (linted as it is typed) or left out. The plan's field errors
// (problem+json `errors[].path`) are shown at the field they name.
import { Button, Checkbox, Disclosure, DisclosurePanel, Form, Heading, Label, Radio, RadioGroup } from 'react-aria-components';
import { ApiProblem, type Schemas } from '../../api/client';
import { SelectField } from '../../components/SelectField';
import { Empty, ErrorState } from '../../components/States';
import { t, word } from '../../i18n';
import { defaultKind, KINDS, type Choices } from './choices';
import { emptyDraft } from './feedback';
import { FeedbackEditor } from './FeedbackEditor';

interface ChooseProps {
  active: Schemas['Application'][];
  candidates: Schemas['Candidate'][];
  /** The requisition's language, for candidates without their own. */
  defaultLocale: string | null;
  choices: Choices;
  setChoices: (choices: Choices) => void;
  onPlan: () => void;
  pending: boolean;
  problem: ApiProblem | null;
  error: unknown;
}

export function ChooseStep({ active, candidates, defaultLocale, choices, setChoices, onPlan, pending, problem, error }: ChooseProps) {
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
                locale={byId.get(a.candidateId)?.locale ?? defaultLocale ?? 'en'}
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
  /** The language their message will be written in: the feedback is linted in it. */
  locale: string;
  choices: Choices;
  setChoices: (choices: Choices) => void;
  problem: ApiProblem | null;
}

/** One applicant who hears the decision: their message, their feedback, or left out. */
function Other({ application: a, name, samePerson, email, locale, choices, setChoices, problem }: OtherProps) {
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
                  locale={locale}
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
