// One candidate's structured feedback, linted as the recruiter types: POST /v1/feedback/lint a
// moment after the typing stops; each finding is marked in the text (a layer of <mark>s behind the
// transparent textarea) and listed in words in the field's description, which the textarea is
// described by. The plan's field errors (problem+json `errors[].path`) are shown at the field.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { Checkbox, FieldError, Label, Text, TextArea, TextField } from 'react-aria-components';
import { SelectField } from '../../components/SelectField';
import { api, ApiProblem, unwrap } from '../../api/client';
import { t, word, type MessageKey } from '../../i18n';
import { findingsIn, generalFindings, REASON_CATEGORIES, toFeedback, hasText, type FeedbackDraft, type Located, type TextField as Field } from './feedback';

const LINT_DELAY_MS = 400;

function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

const severityWord = (severity: string) => t(severity === 'block' ? 'decision.severityBlock' : severity === 'warn' ? 'decision.severityWarn' : 'decision.severityInfo');

interface Props {
  /** For ids and labels. */
  applicationId: string;
  name: string;
  kind: string;
  /** The message's language: the lint knows each language's words. */
  locale: string;
  draft: FeedbackDraft;
  onChange: (draft: FeedbackDraft) => void;
  /** The plan's problem, whose field errors name `body.feedback.<applicationId>.<field>`. */
  problem: ApiProblem | null;
}

export function FeedbackEditor({ applicationId, name, kind, locale, draft, onChange, problem }: Props) {
  const settled = useDebounced(draft, LINT_DELAY_MS);
  const body = toFeedback(settled);
  const lint = useQuery({
    queryKey: ['feedback-lint', kind, locale, body],
    queryFn: () => unwrap(api.POST('/v1/feedback/lint', { body: { feedback: body, locale, ...(isBuiltIn(kind) ? { kind } : {}) } })),
    enabled: hasText(settled),
    placeholderData: keepPreviousData,
    staleTime: Infinity,
  });
  // Findings of the text as it settled; the previous text's while it is checked again; none when the check failed.
  const current = lint.isSuccess && !lint.isPlaceholderData;
  const findings = hasText(settled) && !lint.isError ? (lint.data?.findings ?? []) : [];
  const checking = draft !== settled || lint.isFetching;
  const fieldError = (field: string) => problem?.fieldError(`body.feedback.${applicationId}.${field}`);
  const text = (field: Field, label: MessageKey, rows: number, hint?: string) => (
    <LintedText
      id={`${applicationId}-${field}`}
      label={t(label)}
      hint={hint}
      value={draft[field]}
      onChange={(value) => onChange({ ...draft, [field]: value })}
      located={findingsIn(settled, field, findings)}
      stale={draft[field] !== settled[field] || !current}
      rows={rows}
      error={fieldError(field === 'otherOpenings' ? 'nextSteps' : field)}
    />
  );
  const general = generalFindings(findings);
  return (
    <div className="feedback">
      <SelectField
        label={t('decision.reasonCategory')}
        value={draft.reasonCategory}
        options={REASON_CATEGORIES}
        text={(category) => word('reasonCategories', category)}
        onChange={(reasonCategory) => onChange({ ...draft, reasonCategory })}
      />
      {text('strengths', 'decision.strengths', 2, t('decision.onePerLine'))}
      {text('areasToImprove', 'decision.areasToImprove', 2, t('decision.onePerLine'))}
      {text('personalNote', 'decision.personalNote', 3)}
      {text('otherOpenings', 'decision.otherOpenings', 1, t('decision.onePerLine'))}
      <Checkbox isSelected={draft.talentPoolInvite} onChange={(talentPoolInvite) => onChange({ ...draft, talentPoolInvite })}>
        <span className="box" aria-hidden="true" />
        {t('decision.talentPool')}
      </Checkbox>
      <div className="lint-status" role="status" aria-live="polite">
        {lint.isError ? (
          <span className="error-text">{t('decision.lintFailed', { detail: lint.error instanceof ApiProblem ? lint.error.detail : String(lint.error) })}</span>
        ) : checking && hasText(draft) ? (
          t('decision.lintChecking')
        ) : null}
      </div>
      {general.length > 0 ? (
        <ul className="findings" aria-label={t('decision.writeFeedback', { name })}>
          {general.map((finding, i) => (
            <li key={i} className={`finding ${finding.severity}`}>
              {t('decision.lintGeneral', { severity: severityWord(finding.severity), message: finding.message })}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

const BUILT_IN = ['rejection_after_interview', 'rejection_after_application', 'status_update', 'position_on_hold', 'position_cancelled', 'talent_pool_invite'] as const;
const isBuiltIn = (kind: string): kind is (typeof BUILT_IN)[number] => (BUILT_IN as readonly string[]).includes(kind);

interface LintedProps {
  id: string;
  label: string;
  hint?: string;
  value: string;
  onChange: (value: string) => void;
  located: Located[];
  /** The text changed since the findings were computed: their ranges no longer fit it. */
  stale: boolean;
  rows: number;
  error: string | undefined;
}

/** A textarea with the lint's findings marked behind its text and listed in words below it. */
function LintedText({ id, label, hint, value, onChange, located, stale, rows, error }: LintedProps) {
  const layer = useRef<HTMLDivElement>(null);
  const area = useRef<HTMLTextAreaElement>(null);
  const marks = stale ? [] : located.filter((l) => l.range !== null);
  return (
    <TextField value={value} onChange={onChange} isInvalid={error !== undefined} className="react-aria-TextField linted" data-field={id}>
      <Label>{label}</Label>
      <div className="lint-box">
        <div className="lint-layer" ref={layer} aria-hidden="true">
          {highlight(value, marks)}
        </div>
        <TextArea ref={area} rows={rows} onScroll={() => layer.current && area.current && (layer.current.scrollTop = area.current.scrollTop)} />
      </div>
      <Text slot="description" elementType="div" className="lint-description">
        {hint ? <span className="muted">{hint} </span> : null}
        {value.trim() === '' ? null : located.length === 0 ? (
          stale ? null : (
            <span className="muted">{t('decision.lintClean')}</span>
          )
        ) : (
          <>
            <span>{t('decision.lintFindings', { count: located.length })}</span>
            <ul className="findings">
              {located.map(({ finding }, i) => (
                <li key={i} className={`finding ${finding.severity}`}>
                  {finding.excerpt
                    ? t('decision.lintFinding', { severity: severityWord(finding.severity), excerpt: finding.excerpt, message: finding.message })
                    : t('decision.lintGeneral', { severity: severityWord(finding.severity), message: finding.message })}
                </li>
              ))}
            </ul>
          </>
        )}
      </Text>
      <FieldError>{error}</FieldError>
    </TextField>
  );
}

/** The text with each finding's range wrapped in a <mark> (overlapping ranges: the first wins). */
function highlight(text: string, marks: Located[]): ReactNode[] {
  const sorted = [...marks].sort((a, b) => a.range!.start - b.range!.start);
  const out: ReactNode[] = [];
  let at = 0;
  for (const { finding, range } of sorted) {
    const start = Math.max(range!.start, at);
    const end = Math.min(range!.end, text.length);
    if (end <= start) continue;
    out.push(text.slice(at, start));
    out.push(
      <mark key={start} className={finding.severity}>
        {text.slice(start, end)}
      </mark>,
    );
    at = end;
  }
  // A trailing newline needs a character after it to take up its line, as in the textarea.
  out.push(`${text.slice(at)}\u200b`);
  return out;
}
