// The plan as the API computed it: every item with its checks and their evidence in words. A
// blocked item's first action leaves the person out (the plan is made again without them); sending
// anyway takes a written reason and the override permission, and is offered second. Confirming
// takes the chosen candidate's name, typed again.
import { useMutation } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { Button, Disclosure, DisclosurePanel, FieldError, Form, Heading, Label, Text, TextField, Input, TextArea } from 'react-aria-components';
import { api, ApiProblem, unwrap, type Schemas } from '../../api/client';
import { useMe } from '../../api/session';
import { ErrorState } from '../../components/States';
import { t, word } from '../../i18n';
import { checkSentence, evidenceSentence, namesOf, sameName, type Names } from './words';

type Plan = Schemas['DecisionPlan'];
type Item = Schemas['PlanItem'];

const overrideKey = (applicationId: string, code: string) => `${applicationId}|${code}`;
const MIN_REASON = 10;

interface Props {
  plan: Plan;
  candidates: Schemas['Candidate'][];
  applications: Schemas['Application'][];
  replanning: boolean;
  /** Making the plan again failed (it stays as it was). */
  replanError: unknown;
  onLeaveOut: (applicationId: string) => void;
  onReplan: () => void;
  onEdit: () => void;
  onConfirmed: (confirmation: Schemas['PlanConfirmation']) => void;
}

export function PlanReview({ plan, candidates, applications, replanning, replanError, onLeaveOut, onReplan, onEdit, onConfirmed }: Props) {
  const me = useMe();
  // A new plan (the first, or one made again without someone) is announced from its heading.
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const canOverride = me.data?.scopes.some((s) => s === 'override' || s === 'admin') ?? false;
  const names = namesOf(plan.items, candidates, applications);
  const [reasons, setReasons] = useState<Record<string, string>>({});
  const [typed, setTyped] = useState('');
  const chosen = plan.items.filter((item) => plan.chosenApplicationIds.includes(item.applicationId));
  const chosenName = chosen[0]?.candidateName ?? '';
  const blockers = plan.items.flatMap((item) => item.checks.filter((c) => c.severity === 'block').map((check) => ({ item, check })));
  const overrides = blockers.flatMap(({ item, check }) => {
    const reason = (reasons[overrideKey(item.applicationId, check.code)] ?? '').trim();
    return reason ? [{ applicationId: item.applicationId, code: check.code, reason }] : [];
  });
  const unresolved = new Set(
    blockers.filter(({ item, check }) => (reasons[overrideKey(item.applicationId, check.code)] ?? '').trim().length < MIN_REASON).map(({ item }) => item.applicationId),
  );
  const confirm = useMutation({
    mutationFn: () =>
      unwrap(api.POST('/v1/plans/{id}/confirm', { params: { path: { id: plan.id } }, body: { digest: plan.digest, chosenApplicationIds: plan.chosenApplicationIds, overrides } })),
    onSuccess: onConfirmed,
  });
  const problem = confirm.error instanceof ApiProblem ? confirm.error : null;
  const overrideError = (item: Item, code: string) => {
    const index = overrides.findIndex((o) => o.applicationId === item.applicationId && o.code === code);
    return index >= 0 ? problem?.fieldError(`body.overrides.${index}`) : undefined;
  };
  const nameMatches = sameName(typed, chosenName);
  const { summary } = plan;
  return (
    <section aria-labelledby="plan" className="section plan">
      <h2 id="plan" tabIndex={-1} ref={heading}>
        {t('decision.planTitle')}
      </h2>
      <p>{t('decision.planSummary', { items: summary.items, messages: summary.messages, blocked: summary.blocked, warnings: summary.warnings })}</p>
      <p className="muted">{t('decision.expires', { time: new Date(plan.expiresAt).toLocaleTimeString() })}</p>
      <div className="detail-actions">
        <Button onPress={onEdit}>{t('decision.editChoices')}</Button>
      </div>
      {replanError ? <ErrorState error={replanError} /> : null}
      {plan.checks.length > 0 ? (
        <div className="plan-checks">
          <h3>{t('decision.planChecks')}</h3>
          <Checks checks={plan.checks} name="" names={names} />
        </div>
      ) : null}
      <ul className="fu-rows plan-items">
        {plan.items.map((item) => {
          const isChosen = plan.chosenApplicationIds.includes(item.applicationId);
          const blocking = item.checks.filter((c) => c.severity === 'block');
          return (
            <li key={item.applicationId} className={`fu-row plan-item${blocking.length > 0 ? ' blocked' : ''}`} data-application-id={item.applicationId}>
              <div className="grow">
                <h3 className="item-name">
                  {item.candidateName} {blocking.length > 0 ? <span className="badge block">{t('decision.blocked')}</span> : null}
                </h3>
                <p>
                  {item.messageKind
                    ? t('decision.itemAction', { action: t(`decisionActions.${item.action}`), kind: word('kinds', item.messageKind) })
                    : t('decision.itemNoMessage', { action: t(`decisionActions.${item.action}`) })}
                  {item.messageKind ? ` · ${item.recipient ? t('decision.to', { email: item.recipient }) : t('decision.noRecipient')}` : ''}
                </p>
                {item.checks.length === 0 ? <p className="muted">{t('decision.checksOk')}</p> : <Checks checks={item.checks} name={item.candidateName} names={names} />}
                {blocking.length > 0 && !isChosen ? (
                  <>
                    <div className="detail-actions">
                      <Button className="primary" onPress={() => onLeaveOut(item.applicationId)} isPending={replanning}>
                        {replanning ? t('decision.leavingOut') : t('decision.leaveOutPrimary', { name: item.candidateName })}
                      </Button>
                    </div>
                    {canOverride ? (
                      <Disclosure>
                        <Heading level={4}>
                          <Button slot="trigger" className="disclosure-trigger quiet">
                            {t('decision.override')}
                          </Button>
                        </Heading>
                        <DisclosurePanel>
                          {blocking.map((check) => (
                            <TextField
                              key={check.code}
                              value={reasons[overrideKey(item.applicationId, check.code)] ?? ''}
                              onChange={(value) => setReasons({ ...reasons, [overrideKey(item.applicationId, check.code)]: value })}
                              isInvalid={overrideError(item, check.code) !== undefined}
                            >
                              <Label>{t('decision.overrideReason', { name: item.candidateName })}</Label>
                              <TextArea rows={2} />
                              <Text slot="description" className="muted">
                                {checkSentence(check, item.candidateName)} {t('decision.overrideHint')}
                              </Text>
                              <FieldError>{overrideError(item, check.code)}</FieldError>
                            </TextField>
                          ))}
                        </DisclosurePanel>
                      </Disclosure>
                    ) : (
                      <p className="muted">{t('decision.overrideNeedsRole')}</p>
                    )}
                  </>
                ) : null}
              </div>
            </li>
          );
        })}
      </ul>

      <section aria-labelledby="confirm" className="section confirm">
        <h3 id="confirm">{t('decision.confirmTitle')}</h3>
        {unresolved.size > 0 ? <p className="error-text">{t(canOverride ? 'decision.stillBlocked' : 'decision.stillBlockedNoOverride', { count: unresolved.size })}</p> : null}
        <Form
          validationBehavior="aria"
          onSubmit={(event) => {
            event.preventDefault();
            if (nameMatches && unresolved.size === 0) confirm.mutate();
          }}
        >
          <TextField value={typed} onChange={setTyped} isInvalid={problem?.fieldError('body.chosenApplicationIds') !== undefined}>
            <Label>{t('decision.confirmLabel', { name: chosenName })}</Label>
            <Input autoComplete="off" spellCheck={false} />
            <Text slot="description" className="muted">
              {typed.trim() !== '' && !nameMatches ? t('decision.confirmMismatch') : t('decision.confirmHint')}
            </Text>
            <FieldError>{problem?.fieldError('body.chosenApplicationIds')}</FieldError>
          </TextField>
          {problem?.code === 'plan_stale' || problem?.code === 'plan_expired' ? (
            <div role="alert" className="error-text">
              <p>{t('decision.stale')}</p>
              <Button onPress={onReplan}>{t('decision.replan')}</Button>
            </div>
          ) : confirm.isError && !problem?.errors.length ? (
            <ErrorState error={confirm.error} />
          ) : null}
          <div className="detail-actions">
            <Button type="submit" className="primary" isDisabled={!nameMatches || unresolved.size > 0 || replanning} isPending={confirm.isPending}>
              {confirm.isPending ? t('decision.confirming') : t('decision.confirm')}
            </Button>
          </div>
        </Form>
      </section>
    </section>
  );
}

function Checks({ checks, name, names }: { checks: Schemas['Check'][]; name: string; names: Names }) {
  return (
    <ul className="checks">
      {checks.map((check) => (
        <li key={check.code} className={`check ${check.severity}`} data-check={check.code}>
          <strong>{check.severity === 'block' ? t('decision.blocked') : t('decision.warning')}:</strong> {checkSentence(check, name)}
          {check.evidence.length > 0 ? (
            <ul className="evidence" aria-label={t('decision.evidence')}>
              {check.evidence.map((evidence, i) => (
                <li key={i}>{evidenceSentence(check, evidence, names)}</li>
              ))}
            </ul>
          ) : null}
        </li>
      ))}
    </ul>
  );
}
