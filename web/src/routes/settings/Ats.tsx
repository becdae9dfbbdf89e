// ATS connections: connect one (its webhook URL, and the secret it signs with shown once), give it
// API credentials (write-only: only whether the ATS accepted them is shown), choose which ATS
// reason each Hearback reason is written back with, read the write-back activity, disconnect.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Button, FieldError, Form, Input, Label, Text, TextField } from 'react-aria-components';
import { api, ApiProblem, unwrap, type Schemas } from '../../api/client';
import { t, word } from '../../i18n';
import { Choice } from './Choice';
import { ConfirmButton } from './DialogButton';
import { Fold, QueryView } from './Fold';
import { LazyList } from './LazyList';
import { fieldErrors, FormProblem } from './problems';

type Connection = Schemas['AtsConnection'];
type Provider = Connection['provider'];
const PROVIDERS: Provider[] = ['greenhouse', 'lever', 'ashby', 'generic'];
const REASONS: (Schemas['FeedbackInput']['reasonCategory'] | 'default')[] = [
  'position_filled',
  'skills_gap',
  'experience_level',
  'internal_candidate',
  'hiring_freeze',
  'role_cancelled',
  'candidate_withdrew',
  'role_on_hold',
  'other',
  'default',
];
/** The credentials each provider takes (AtsCredentialsInput), the first ones required. */
const CREDENTIALS: Record<Provider, { field: keyof Schemas['AtsCredentialsInput']; secret: boolean; required: boolean }[]> = {
  greenhouse: [
    { field: 'clientId', secret: false, required: true },
    { field: 'clientSecret', secret: true, required: true },
    { field: 'onBehalfOfUserId', secret: false, required: false },
  ],
  lever: [
    { field: 'apiKey', secret: true, required: true },
    { field: 'performAs', secret: false, required: false },
  ],
  ashby: [{ field: 'apiKey', secret: true, required: true }],
  generic: [],
};
const queryKey = ['ats-connections'] as const;

const providerWord = (provider: Provider) => t(`settings.provider_${provider}`);

export function Ats() {
  const list = useQuery({ queryKey, queryFn: () => unwrap(api.GET('/v1/ats-connections', { params: { query: { limit: 100 } } })) });
  const [secret, setSecret] = useState<string | null>(null);
  return (
    <section aria-labelledby="ats">
      <h2 id="ats">{t('settings.ats')}</h2>
      <p className="muted">{t('settings.atsIntro')}</p>
      {secret ? (
        <div className="notice once" role="status">
          <p>{t('settings.atsSecretOnce')}</p>
          <code className="secret">{secret}</code>
          <div className="detail-actions">
            <Button onPress={() => setSecret(null)}>{t('settings.secretDone')}</Button>
          </div>
        </div>
      ) : null}
      <Connect onConnected={setSecret} />
      <QueryView query={list} empty={{ when: (data) => data.data.length === 0, text: t('settings.noConnections') }}>
        {(data) => (
          <ul className="fu-rows">
            {data.data.map((connection) => (
              <ConnectionRow key={connection.id} connection={connection} />
            ))}
          </ul>
        )}
      </QueryView>
    </section>
  );
}

const CONNECT_FIELDS = ['provider', 'name', 'secret'] as const;

function Connect({ onConnected }: { onConnected: (secret: string) => void }) {
  const queryClient = useQueryClient();
  const [provider, setProvider] = useState<Provider>('greenhouse');
  const [name, setName] = useState('');
  const connect = useMutation({
    mutationFn: () => unwrap(api.POST('/v1/ats-connections', { body: { provider, name } })),
    onSuccess: async ({ secret }) => {
      setName('');
      onConnected(secret);
      await queryClient.invalidateQueries({ queryKey });
    },
  });
  return (
    <Form
      validationBehavior="aria"
      className="settings-form inline-form"
      aria-label={t('settings.connectAts')}
      validationErrors={fieldErrors(connect.error, CONNECT_FIELDS)}
      onSubmit={(event) => {
        event.preventDefault();
        connect.mutate();
      }}
    >
      <h3>{t('settings.connectAts')}</h3>
      <Choice name="provider" label={t('settings.provider')} value={provider} options={PROVIDERS} onChange={setProvider} words={providerWord} />
      <TextField name="name" value={name} onChange={setName} isRequired>
        <Label>{t('settings.connectionName')}</Label>
        <Input />
        <FieldError />
      </TextField>
      <FormProblem error={connect.error} fields={CONNECT_FIELDS} />
      <div className="detail-actions">
        <Button type="submit" className="primary" isPending={connect.isPending}>
          {t('settings.connect')}
        </Button>
      </div>
    </Form>
  );
}

function ConnectionRow({ connection }: { connection: Connection }) {
  const queryClient = useQueryClient();
  const [notice, setNotice] = useState('');
  const remove = useMutation({
    mutationFn: () => unwrap(api.DELETE('/v1/ats-connections/{id}', { params: { path: { id: connection.id } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey }),
    onError: (error) => setNotice(error instanceof ApiProblem ? error.detail : String(error)),
  });
  const headingId = `ats-${connection.id}`;
  const { api: status } = connection;
  return (
    <li className="fu-row" aria-labelledby={headingId} data-connection={connection.name}>
      <div className="grow">
        <h3 id={headingId}>
          {connection.name} <span className="badge">{providerWord(connection.provider)}</span>
          {connection.enabled ? null : <span className="badge">{t('settings.disabled')}</span>}
        </h3>
        <p>
          {t('settings.atsUrl')} <code className="secret">{connection.url}</code>
        </p>
        {connection.provider === 'generic' ? null : (
          <p data-verified={status.verified}>
            {status.verified ? t('settings.verified', { date: status.verifiedAt ? new Date(status.verifiedAt).toLocaleString() : '—' }) : t('settings.notVerified')}
            {status.lastError ? (
              <span className="error-text">
                {' '}
                {t('settings.lastError', { error: status.lastError, date: status.lastErrorAt ? new Date(status.lastErrorAt).toLocaleString() : '—' })}
              </span>
            ) : null}
          </p>
        )}
        {connection.provider === 'generic' ? null : <Credentials connection={connection} />}
        {status.verified ? <ReasonMap connection={connection} /> : null}
        <Activity connectionId={connection.id} />
        <p role="status" aria-live="polite" className="live">
          {notice}
        </p>
      </div>
      <div className="steps column">
        <ConfirmButton
          label={t('settings.disconnect')}
          title={t('settings.disconnectTitle', { name: connection.name })}
          detail={t('settings.disconnectDetail')}
          cancel={t('settings.cancel')}
          onConfirm={() => remove.mutate()}
        />
      </div>
    </li>
  );
}

function Credentials({ connection }: { connection: Connection }) {
  const queryClient = useQueryClient();
  const fields = CREDENTIALS[connection.provider];
  const [values, setValues] = useState<Record<string, string>>({});
  const [notice, setNotice] = useState('');
  const save = useMutation({
    mutationFn: () =>
      unwrap(
        api.PUT('/v1/ats-connections/{id}/credentials', {
          params: { path: { id: connection.id } },
          body: Object.fromEntries(Object.entries(values).filter(([, value]) => value.trim() !== '')),
        }),
      ),
    onSuccess: async ({ reasons }) => {
      setValues({});
      setNotice(t('settings.credentialsSaved', { count: reasons.length }));
      await queryClient.invalidateQueries({ queryKey });
    },
  });
  const forget = useMutation({
    mutationFn: () => unwrap(api.DELETE('/v1/ats-connections/{id}/credentials', { params: { path: { id: connection.id } } })),
    onSuccess: async () => {
      setNotice(t('settings.credentialsForgotten'));
      await queryClient.invalidateQueries({ queryKey });
    },
  });
  const names = fields.map((f) => f.field);
  return (
    <Fold title={t('settings.credentials')}>
      <Form
        validationBehavior="aria"
        className="settings-form"
        validationErrors={fieldErrors(save.error, names)}
        onSubmit={(event) => {
          event.preventDefault();
          save.mutate();
        }}
      >
        <Text className="muted">{t('settings.credentialsHint')}</Text>
        {fields.map(({ field, secret, required }) => (
          <TextField
            key={field}
            name={field}
            type={secret ? 'password' : 'text'}
            autoComplete="off"
            value={values[field] ?? ''}
            onChange={(value) => setValues((v) => ({ ...v, [field]: value }))}
            isRequired={required}
          >
            <Label>{t(`settings.credential_${field}`)}</Label>
            <Input />
            <FieldError />
          </TextField>
        ))}
        <FormProblem error={save.error ?? forget.error} fields={names} />
        <div className="detail-actions">
          <Button type="submit" className="primary" isPending={save.isPending}>
            {t('settings.saveCredentials')}
          </Button>
          {connection.api.verified || connection.api.verifiedAt ? (
            <Button onPress={() => forget.mutate()} isPending={forget.isPending}>
              {t('settings.forgetCredentials')}
            </Button>
          ) : null}
        </div>
        <p role="status" aria-live="polite" className="live">
          {notice}
        </p>
      </Form>
    </Fold>
  );
}

const NOT_MAPPED = '-';

function ReasonMap({ connection }: { connection: Connection }) {
  const queryClient = useQueryClient();
  const reasons = useQuery({
    queryKey: ['ats-connections', connection.id, 'reasons'],
    queryFn: () => unwrap(api.GET('/v1/ats-connections/{id}/reasons', { params: { path: { id: connection.id } } })),
  });
  const [map, setMap] = useState<Record<string, string>>(connection.api.reasonMap);
  const [notice, setNotice] = useState('');
  const save = useMutation({
    mutationFn: () =>
      unwrap(
        api.PUT('/v1/ats-connections/{id}/reason-map', {
          params: { path: { id: connection.id } },
          body: { reasonMap: Object.fromEntries(Object.entries(map).filter(([, id]) => id !== NOT_MAPPED)) },
        }),
      ),
    onSuccess: async () => {
      setNotice(t('settings.reasonMapSaved'));
      await queryClient.invalidateQueries({ queryKey });
    },
  });
  return (
    <Fold title={t('settings.reasonMap')}>
      <QueryView query={reasons} empty={{ when: (data) => data.data.length === 0, text: t('settings.noAtsReasons') }}>
        {(data) => (
          <Form
            validationBehavior="aria"
            className="settings-form reason-map"
            validationErrors={fieldErrors(save.error, REASONS, 'body.reasonMap')}
            onSubmit={(event) => {
              event.preventDefault();
              save.mutate();
            }}
          >
            <Text className="muted">{t('settings.reasonMapHint')}</Text>
            {REASONS.map((reason) => (
              <Choice
                key={reason}
                name={reason}
                label={word('reasonCategories', reason)}
                value={map[reason] ?? NOT_MAPPED}
                options={[NOT_MAPPED, ...data.data.map((r) => r.id)]}
                onChange={(id) => setMap((m) => ({ ...m, [reason]: id }))}
                words={(id) => (id === NOT_MAPPED ? t('settings.notMapped') : (data.data.find((r) => r.id === id)?.text ?? id))}
              />
            ))}
            <FormProblem error={save.error} fields={REASONS} prefix="body.reasonMap" />
            <div className="detail-actions">
              <Button type="submit" className="primary" isPending={save.isPending}>
                {t('settings.saveReasonMap')}
              </Button>
            </div>
            <p role="status" aria-live="polite" className="live">
              {notice}
            </p>
          </Form>
        )}
      </QueryView>
    </Fold>
  );
}

function Activity({ connectionId }: { connectionId: string }) {
  return (
    <LazyList
      title={t('settings.activity')}
      queryKey={['ats-connections', connectionId, 'activity']}
      load={() => unwrap(api.GET('/v1/ats-connections/{id}/activity', { params: { path: { id: connectionId }, query: { limit: 20 } } }))}
      empty={t('settings.noActivity')}
      keyOf={(writeback) => writeback.id}
      item={(writeback) => (
        <>
          {new Date(writeback.createdAt).toLocaleString()} · {t(`settings.writeback_${writeback.status}`)} ·{' '}
          {t('settings.writebackSteps', { steps: writeback.steps.map((step) => `${step.action}: ${step.result}${step.detail ? ` (${step.detail})` : ''}`).join('; ') || '—' })}
          {writeback.lastError ? <span className="error-text"> · {writeback.lastError}</span> : null}
        </>
      )}
    />
  );
}
