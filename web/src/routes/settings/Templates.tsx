// The templates in use (the shipped defaults until a version is saved) and the editor of one kind
// and locale: subject, HTML and text, a live preview (POST /v1/templates/preview, debounced) in
// every language the kind has, and the save check's errors (the 422's `problems`: part, line,
// column) shown at their line.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { Button, FieldError, Form, Input, Label, Link, TextField } from 'react-aria-components';
import { useParams } from 'react-router';
import { api, ApiProblem, unwrap, type Schemas } from '../../api/client';
import type { components } from '../../api/schema';
import { Loading } from '../../components/States';
import { t, word } from '../../i18n';
import { EmailPreview } from '../inbox/EmailPreview';
import { Choice } from './Choice';
import { CodeArea } from './CodeArea';
import { QueryView } from './Fold';
import { LazyList } from './LazyList';
import { FormProblem } from './problems';

const PREVIEW_DELAY_MS = 400;
const templatesKey = ['templates'] as const;

/** One error of the template check, as a 422 `template_invalid` lists them in `problems`. */
type Problem = NonNullable<components['responses']['template_invalid']['content']['application/problem+json']['problems']>[number];
type Part = Problem['part'];
type Parts = Record<Part, string>;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;
const num = (value: unknown) => (typeof value === 'number' ? value : null);

/** The check's problems from a 422 `template_invalid` (each with its part, line and column). */
function problemsOf(error: unknown): Problem[] {
  if (!(error instanceof ApiProblem) || error.code !== 'template_invalid' || !Array.isArray(error.extensions.problems)) return [];
  return error.extensions.problems
    .filter(isRecord)
    .flatMap((p) =>
      p.part === 'subject' || p.part === 'html' || p.part === 'text' ? [{ part: p.part, line: num(p.line), column: num(p.column), message: String(p.message ?? '') }] : [],
    );
}

function useTemplateList() {
  return useQuery({ queryKey: templatesKey, queryFn: () => unwrap(api.GET('/v1/templates')) });
}

export function Templates() {
  const list = useTemplateList();
  const rows = list.data?.data;
  const kinds = useMemo(() => {
    const byKind = new Map<string, NonNullable<typeof rows>>();
    for (const row of rows ?? []) byKind.set(row.kind, [...(byKind.get(row.kind) ?? []), row]);
    return [...byKind.entries()];
  }, [rows]);
  return (
    <section aria-labelledby="templates">
      <h2 id="templates">{t('settings.templates')}</h2>
      <p className="muted">{t('settings.templatesIntro')}</p>
      <QueryView query={list} empty={{ when: () => kinds.length === 0, text: t('settings.noTemplates') }}>
        {() => (
          <div className="table-scroll" tabIndex={0} role="region" aria-label={t('settings.templates')}>
            <table className="messages">
              <thead>
                <tr>
                  <th scope="col">{t('settings.kind')}</th>
                  <th scope="col">{t('settings.languages')}</th>
                </tr>
              </thead>
              <tbody>
                {kinds.map(([kind, rows]) => (
                  <tr key={kind}>
                    <th scope="row">{word('kinds', kind)}</th>
                    <td>
                      <ul className="card-links">
                        {rows.map((row) => (
                          <li key={row.locale}>
                            <Link
                              href={`/settings/templates/${row.kind}/${row.locale}`}
                              aria-label={t('settings.editTemplate', { kind: word('kinds', kind), language: word('languages', row.locale) })}
                            >
                              {word('languages', row.locale)}
                            </Link>{' '}
                            <span className="muted">{row.source === 'custom' ? t('settings.customVersion', { version: row.version }) : t('settings.shipped')}</span>
                          </li>
                        ))}
                      </ul>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </QueryView>
    </section>
  );
}

export function TemplateEditor() {
  const { kind = '', locale = '' } = useParams();
  // Outside the editor, which starts over (from the saved version) after a save.
  const [saved, setSaved] = useState('');
  const current = useQuery({
    queryKey: ['templates', kind, locale],
    queryFn: () => unwrap(api.GET('/v1/templates/{kind}/{locale}', { params: { path: { kind, locale } } })),
  });
  return (
    <section aria-labelledby="template-editor">
      <p>
        <Link href="/settings/templates">{t('settings.allTemplates')}</Link>
      </p>
      <h2 id="template-editor">{t('settings.editTemplate', { kind: word('kinds', kind), language: word('languages', locale) })}</h2>
      <p role="status" aria-live="polite" className="live notice">
        {saved}
      </p>
      <QueryView query={current}>{(data) => <Editor key={`${kind}/${locale}/${data.version}`} template={data} onSaved={setSaved} />}</QueryView>
    </section>
  );
}

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

function Editor({ template, onSaved }: { template: Schemas['MessageTemplate']; onSaved: (notice: string) => void }) {
  const queryClient = useQueryClient();
  const { kind, locale } = template;
  const [parts, setParts] = useState<Parts>({ subject: template.subject, html: template.html, text: template.text });
  const set = (part: Part) => (value: string) => setParts((p) => ({ ...p, [part]: value }));
  const edit = (part: Part) => (value: string) => {
    // A failed save's errors are about the text before this change: the live check takes over.
    if (save.isError) save.reset();
    set(part)(value);
  };
  const save = useMutation({
    mutationFn: () => unwrap(api.PUT('/v1/templates/{kind}/{locale}', { params: { path: { kind, locale } }, body: { ...parts, baseVersion: template.version } })),
    onSuccess: async (saved) => {
      onSaved(t('settings.templateSaved', { version: saved.version }));
      queryClient.setQueryData(['templates', kind, locale], saved);
      await queryClient.invalidateQueries({ queryKey: templatesKey, exact: true });
      await queryClient.invalidateQueries({ queryKey: ['templates', kind, locale, 'versions'] });
    },
  });
  // The check runs with every preview, so errors show while typing; a failed save shows its own.
  const draft = useDebounced(parts, PREVIEW_DELAY_MS);
  const preview = useQuery({
    queryKey: ['templates', 'preview', kind, locale, draft],
    queryFn: () => unwrap(api.POST('/v1/templates/preview', { body: { kind, locale, template: draft, data: 'sample' } })),
    placeholderData: keepPreviousData,
    retry: false,
  });
  const [lastGood, setLastGood] = useState<Schemas['RenderedMessage'] | null>(null);
  // The last render without errors stays shown while the draft has errors (state derived in render).
  if (preview.data && !preview.isPlaceholderData && preview.data !== lastGood) setLastGood(preview.data);

  const saveProblems = save.isError ? problemsOf(save.error) : [];
  const problems = saveProblems.length > 0 ? saveProblems : preview.isError ? problemsOf(preview.error) : [];
  const of = (part: Part) => problems.filter((p) => p.part === part);
  const subjectProblems = of('subject');

  return (
    <div className="tpl-editor">
      <Form
        validationBehavior="aria"
        className="settings-form tpl-editor-form"
        onSubmit={(event) => {
          event.preventDefault();
          onSaved('');
          save.mutate();
        }}
      >
        <p className="muted">
          {template.source === 'custom' ? t('settings.editingVersion', { version: template.version }) : t('settings.editingShipped')} {t('settings.variablesHint')}
        </p>
        <TextField name="subject" value={parts.subject} onChange={edit('subject')} isInvalid={subjectProblems.length > 0} className="react-aria-TextField code-field">
          <Label>{t('settings.subject')}</Label>
          <Input spellCheck={false} />
          <FieldError>
            {subjectProblems.map((p) => (p.column !== null ? `${t('settings.lineColumn', { line: p.line ?? 1, column: p.column })} ${p.message}` : p.message)).join(' · ')}
          </FieldError>
        </TextField>
        <CodeArea name="html" label={t('settings.html')} value={parts.html} onChange={edit('html')} problems={of('html')} />
        <CodeArea name="text" label={t('settings.textPart')} value={parts.text} onChange={edit('text')} problems={of('text')} />
        <p role="status" aria-live="polite" className="live">
          {problems.length > 0 ? t('settings.templateProblems', { count: problems.length }) : ''}
        </p>
        {save.isError && saveProblems.length === 0 ? <FormProblem error={save.error} fields={[]} /> : null}
        <div className="detail-actions">
          <Button type="submit" className="primary" isPending={save.isPending}>
            {t('settings.saveTemplate')}
          </Button>
          <Button onPress={() => setParts({ subject: template.subject, html: template.html, text: template.text })}>{t('settings.discard')}</Button>
        </div>
        <Versions kind={kind} locale={locale} onLoad={(version) => setParts({ subject: version.subject, html: version.html, text: version.text })} />
      </Form>
      <Previews kind={kind} locale={locale} live={lastGood} livePending={preview.isFetching} liveFailed={preview.isError} />
    </div>
  );
}

/** The preview in each language this kind has: the one being edited live, the others as saved. */
function Previews({
  kind,
  locale,
  live,
  livePending,
  liveFailed,
}: {
  kind: string;
  locale: string;
  live: Schemas['RenderedMessage'] | null;
  livePending: boolean;
  liveFailed: boolean;
}) {
  const list = useTemplateList();
  const locales = useMemo(() => {
    const found = (list.data?.data ?? []).filter((row) => row.kind === kind).map((row) => row.locale);
    return [locale, ...found.filter((l) => l !== locale)];
  }, [list.data, kind, locale]);
  const [shown, setShown] = useState(locale);
  return (
    <section className="tpl-preview" aria-labelledby="template-preview">
      <h3 id="template-preview">{t('settings.preview')}</h3>
      <Choice
        label={t('settings.previewLanguages')}
        value={shown}
        options={locales}
        onChange={setShown}
        words={(l) => (l === locale ? t('settings.previewEditing', { language: word('languages', l) }) : word('languages', l))}
      />
      {shown === locale ? (
        <>
          <p className="muted" role="status" aria-live="polite" data-preview-state={liveFailed ? 'failed' : livePending ? 'pending' : 'ready'}>
            {liveFailed ? t('settings.previewStale') : livePending ? t('settings.previewUpdating') : t('settings.previewLive')}
          </p>
          {live ? <RenderedPreview rendered={live} /> : <Loading />}
        </>
      ) : (
        <SavedPreview key={shown} kind={kind} locale={shown} />
      )}
    </section>
  );
}

function SavedPreview({ kind, locale }: { kind: string; locale: string }) {
  const preview = useQuery({
    queryKey: ['templates', 'preview', kind, locale, 'saved'],
    queryFn: () => unwrap(api.POST('/v1/templates/preview', { body: { kind, locale, data: 'sample' } })),
  });
  return (
    <>
      <p className="muted">
        {t('settings.previewSaved')} <Link href={`/settings/templates/${kind}/${locale}`}>{t('settings.editThisLanguage', { language: word('languages', locale) })}</Link>
      </p>
      <QueryView query={preview}>{(data) => <RenderedPreview rendered={data} />}</QueryView>
    </>
  );
}

function RenderedPreview({ rendered }: { rendered: Schemas['RenderedMessage'] }) {
  return (
    <div className="rendered">
      <p>
        <strong>{t('settings.subject')}:</strong> <span data-preview-subject>{rendered.subject}</span>
      </p>
      <EmailPreview name={t('settings.sampleCandidate')} html={rendered.html} text={rendered.text} />
    </div>
  );
}

function Versions({ kind, locale, onLoad }: { kind: string; locale: string; onLoad: (version: Schemas['MessageTemplate']) => void }) {
  return (
    <LazyList
      title={t('settings.versions')}
      level={3}
      queryKey={['templates', kind, locale, 'versions']}
      load={() => unwrap(api.GET('/v1/templates/{kind}/{locale}/versions', { params: { path: { kind, locale } } }))}
      empty={t('settings.noVersions')}
      keyOf={(version) => version.version}
      item={(version) => (
        <>
          {t('settings.versionLine', { version: version.version, date: version.createdAt ? new Date(version.createdAt).toLocaleString() : '—', by: version.createdBy ?? '—' })}{' '}
          <Button className="quiet" onPress={() => onLoad(version)}>
            {t('settings.loadVersion', { version: version.version })}
          </Button>
        </>
      )}
    />
  );
}
