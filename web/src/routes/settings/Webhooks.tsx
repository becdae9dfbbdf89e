// Webhook endpoints: add one (its signing secret shown once), edit it, rotate its secret (the new
// one shown once; the old one signs alongside it for 24 hours), delete it; a disabled endpoint
// says why and since when, can be started over and its failed deliveries sent again; each shows
// its recent attempts.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { Button, Checkbox, FieldError, Form, Input, Label, Text, TextField } from 'react-aria-components';
import { api, ApiProblem, unwrap, type Schemas } from '../../api/client';
import type { paths } from '../../api/schema';
import { t } from '../../i18n';
import { ConfirmButton } from './DialogButton';
import { QueryView } from './Fold';
import { LazyList } from './LazyList';
import { fieldErrors, FormProblem } from './problems';

type Endpoint = Schemas['WebhookEndpoint'];
type EventType = NonNullable<paths['/v1/webhook-endpoints']['post']['requestBody']['content']['application/json']['eventTypes']>[number];
const EVENT_TYPES: EventType[] = [
  'plan.created',
  'plan.confirmed',
  'application.rejected',
  'application.overdue',
  'message.approved',
  'message.recalled',
  'message.sent',
  'message.delivered',
  'message.bounced',
  'message.held',
  'message.failed',
  'feedback.viewed',
  'candidate.talent_pool_joined',
  'candidate.talent_pool_left',
  'candidate.question_asked',
  'candidate.feedback_rated',
  'candidate.data_requested',
  'candidate.erased',
  'endpoint.disabled',
];
const FIELDS = ['url', 'description', 'eventTypes', 'rateLimitPerSecond'] as const;
const queryKey = ['webhook-endpoints'] as const;

/** A secret the API shows once: read it now, copy it. */
function OnceSecret({ secret, onDismiss }: { secret: string; onDismiss: () => void }) {
  return (
    <div className="notice once" role="status">
      <p>{t('settings.secretOnce')}</p>
      <code className="secret" data-secret>
        {secret}
      </code>
      <div className="detail-actions">
        <Button onPress={onDismiss}>{t('settings.secretDone')}</Button>
      </div>
    </div>
  );
}

export function Webhooks() {
  const list = useQuery({ queryKey, queryFn: () => unwrap(api.GET('/v1/webhook-endpoints', { params: { query: { limit: 100 } } })) });
  const [secret, setSecret] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  return (
    <section aria-labelledby="webhooks">
      <h2 id="webhooks">{t('settings.webhooks')}</h2>
      <p className="muted">{t('settings.webhooksIntro')}</p>
      {secret ? <OnceSecret secret={secret} onDismiss={() => setSecret(null)} /> : null}
      {adding ? (
        <EndpointForm
          onDone={(created) => {
            setAdding(false);
            if (created) setSecret(created);
          }}
        />
      ) : (
        <Button className="primary" onPress={() => setAdding(true)}>
          {t('settings.addEndpoint')}
        </Button>
      )}
      <QueryView query={list} empty={{ when: (data) => data.data.length === 0, text: t('settings.noEndpoints') }}>
        {(data) => (
          <ul className="fu-rows">
            {data.data.map((endpoint) => (
              <EndpointRow key={endpoint.id} endpoint={endpoint} onSecret={setSecret} />
            ))}
          </ul>
        )}
      </QueryView>
    </section>
  );
}

/** Add (no endpoint) or edit one; onDone gets the new secret after an add. */
function EndpointForm({ endpoint, onDone }: { endpoint?: Endpoint; onDone: (secret?: string) => void }) {
  const queryClient = useQueryClient();
  const [url, setUrl] = useState(endpoint?.url ?? '');
  const [description, setDescription] = useState(endpoint?.description ?? '');
  const [eventTypes, setEventTypes] = useState<string[]>(endpoint?.eventTypes ?? []);
  const formId = useId();
  const save = useMutation({
    mutationFn: async () => {
      const body = { url, description: description.trim() === '' ? null : description, eventTypes: EVENT_TYPES.filter((type) => eventTypes.includes(type)) };
      if (endpoint) {
        await unwrap(api.PATCH('/v1/webhook-endpoints/{id}', { params: { path: { id: endpoint.id } }, body }));
        return undefined;
      }
      return (await unwrap(api.POST('/v1/webhook-endpoints', { body }))).secret;
    },
    onSuccess: async (secret) => {
      await queryClient.invalidateQueries({ queryKey });
      onDone(secret);
    },
  });
  const eventTypesError = fieldErrors(save.error, FIELDS).eventTypes;
  return (
    <Form
      validationBehavior="aria"
      className="settings-form card"
      aria-label={endpoint ? t('settings.editEndpoint') : t('settings.addEndpoint')}
      validationErrors={fieldErrors(save.error, FIELDS)}
      onSubmit={(event) => {
        event.preventDefault();
        save.mutate();
      }}
    >
      <h3>{endpoint ? t('settings.editEndpoint') : t('settings.addEndpoint')}</h3>
      <TextField name="url" type="url" value={url} onChange={setUrl} isRequired>
        <Label>{t('settings.endpointUrl')}</Label>
        <Input />
        <Text slot="description" className="muted">
          {t('settings.endpointUrlHint')}
        </Text>
        <FieldError />
      </TextField>
      <TextField name="description" value={description} onChange={setDescription}>
        <Label>{t('settings.description')}</Label>
        <Input />
        <FieldError />
      </TextField>
      <fieldset className="event-types" aria-describedby={`${formId}-events-hint`}>
        <legend>{t('settings.eventTypes')}</legend>
        <p id={`${formId}-events-hint`} className="muted">
          {t('settings.eventTypesHint')}
        </p>
        <div className="checks">
          {EVENT_TYPES.map((type) => (
            <Checkbox
              key={type}
              value={type}
              isSelected={eventTypes.includes(type)}
              onChange={(on) => setEventTypes((types) => (on ? [...types, type] : types.filter((t) => t !== type)))}
            >
              <span className="box" aria-hidden="true" />
              <code>{type}</code>
            </Checkbox>
          ))}
        </div>
        {eventTypesError ? <p className="error-text">{eventTypesError}</p> : null}
      </fieldset>
      <FormProblem error={save.error} fields={FIELDS} />
      <div className="detail-actions">
        <Button type="submit" className="primary" isPending={save.isPending}>
          {endpoint ? t('settings.save') : t('settings.addEndpoint')}
        </Button>
        <Button onPress={() => onDone()}>{t('settings.cancel')}</Button>
      </div>
    </Form>
  );
}

function EndpointRow({ endpoint, onSecret }: { endpoint: Endpoint; onSecret: (secret: string) => void }) {
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState(false);
  const [notice, setNotice] = useState('');
  const refresh = () => queryClient.invalidateQueries({ queryKey });
  const act = useMutation({
    mutationFn: async (step: 'enable' | 'disable' | 'recover' | 'delete') => {
      const path = { params: { path: { id: endpoint.id } } };
      if (step === 'enable' || step === 'disable') {
        await unwrap(api.PATCH('/v1/webhook-endpoints/{id}', { ...path, body: { enabled: step === 'enable' } }));
        return step;
      }
      if (step === 'recover') {
        // Deliveries are only sent again to an enabled endpoint; starting it over clears the
        // times it failed and was disabled since, so they are read first.
        const since = endpoint.failingSince ?? endpoint.disabledAt ?? new Date(Date.now() - 24 * 3600_000).toISOString();
        if (!endpoint.enabled) await unwrap(api.PATCH('/v1/webhook-endpoints/{id}', { ...path, body: { enabled: true } }));
        const { recovered } = await unwrap(api.POST('/v1/webhook-endpoints/{id}/recover', { ...path, body: { since } }));
        return t('settings.recovered', { count: recovered });
      }
      await unwrap(api.DELETE('/v1/webhook-endpoints/{id}', path));
      return step;
    },
    onSuccess: async (result) => {
      setNotice(result === 'enable' ? t('settings.endpointEnabled') : result === 'disable' ? t('settings.endpointDisabledNow') : result === 'delete' ? '' : result);
      await refresh();
    },
    onError: (error) => setNotice(error instanceof ApiProblem ? error.detail : String(error)),
  });
  const rotate = useMutation({
    mutationFn: () => unwrap(api.POST('/v1/webhook-endpoints/{id}/rotate-secret', { params: { path: { id: endpoint.id } } })),
    onSuccess: async ({ secret }) => {
      onSecret(secret);
      setNotice(t('settings.rotatedNotice'));
      await refresh();
    },
    onError: (error) => setNotice(error instanceof ApiProblem ? error.detail : String(error)),
  });
  const headingId = `endpoint-${endpoint.id}`;
  return (
    <li className="fu-row endpoint" aria-labelledby={headingId} data-endpoint={endpoint.url}>
      <div className="grow">
        <h3 id={headingId} className="url">
          {endpoint.url}
        </h3>
        {endpoint.description ? <p>{endpoint.description}</p> : null}
        <p className="muted">{endpoint.eventTypes.length === 0 ? t('settings.allEvents') : endpoint.eventTypes.join(', ')}</p>
        {endpoint.enabled ? (
          <p>
            <span className="badge">{t('settings.enabled')}</span>
            {endpoint.failingSince ? <span className="error-text"> {t('settings.failingSince', { date: new Date(endpoint.failingSince).toLocaleString() })}</span> : null}
          </p>
        ) : (
          <p className="error-text">
            {t('settings.endpointDisabled', { date: endpoint.disabledAt ? new Date(endpoint.disabledAt).toLocaleString() : '—', reason: endpoint.disabledReason ?? '—' })}
          </p>
        )}
        {endpoint.previousSecretExpiresAt ? <p className="muted">{t('settings.previousSecret', { date: new Date(endpoint.previousSecretExpiresAt).toLocaleString() })}</p> : null}
        {editing ? <EndpointForm endpoint={endpoint} onDone={() => setEditing(false)} /> : null}
        <Attempts endpointId={endpoint.id} />
        <p role="status" aria-live="polite" className="live">
          {notice}
        </p>
      </div>
      <div className="steps column">
        <Button onPress={() => setEditing(true)} isDisabled={editing}>
          {t('settings.edit')}
        </Button>
        <Button onPress={() => rotate.mutate()} isPending={rotate.isPending}>
          {t('settings.rotateSecret')}
        </Button>
        {endpoint.enabled ? (
          <>
            <Button onPress={() => act.mutate('disable')}>{t('settings.disable')}</Button>
            {endpoint.failingSince ? <Button onPress={() => act.mutate('recover')}>{t('settings.recover')}</Button> : null}
          </>
        ) : (
          <>
            <Button onPress={() => act.mutate('enable')}>{t('settings.enable')}</Button>
            <Button onPress={() => act.mutate('recover')}>{t('settings.enableAndRecover')}</Button>
          </>
        )}
        <ConfirmButton
          label={t('settings.delete')}
          title={t('settings.deleteEndpoint')}
          detail={t('settings.deleteEndpointDetail', { url: endpoint.url })}
          cancel={t('settings.cancel')}
          onConfirm={() => act.mutate('delete')}
        />
      </div>
    </li>
  );
}

function Attempts({ endpointId }: { endpointId: string }) {
  return (
    <LazyList
      title={t('settings.recentAttempts')}
      queryKey={['webhook-endpoints', endpointId, 'attempts']}
      load={() => unwrap(api.GET('/v1/webhook-endpoints/{id}/attempts', { params: { path: { id: endpointId }, query: { limit: 10 } } }))}
      empty={t('settings.noAttempts')}
      keyOf={(attempt) => attempt.id}
      item={(attempt) => (
        <>
          {new Date(attempt.attemptedAt).toLocaleString()} · {t('settings.attempt', { outcome: attempt.outcome, status: attempt.statusCode ?? '—', ms: attempt.latencyMs })}
          {attempt.error ? <span className="error-text"> · {attempt.error}</span> : null}
        </>
      )}
    />
  );
}
