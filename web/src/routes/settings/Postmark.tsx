// The Postmark sender: the server token is write-only (only whether it is set and its last four
// characters are shown), the sender signature and name, the message stream, and the webhook URL
// to paste into Postmark. Sending works once a token and a sender are set ("configured").
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Button, FieldError, Form, Input, Label, Text, TextField } from 'react-aria-components';
import { api, unwrap, type Schemas } from '../../api/client';
import { t } from '../../i18n';
import { QueryView } from './Fold';
import { fieldErrors, FormProblem } from './problems';

const FIELDS = ['serverToken', 'senderEmail', 'senderName', 'messageStream'] as const;
const queryKey = ['organization', 'postmark'] as const;

export function Postmark() {
  const setup = useQuery({ queryKey, queryFn: () => unwrap(api.GET('/v1/organization/postmark')) });
  return (
    <section aria-labelledby="postmark">
      <h2 id="postmark">{t('settings.postmark')}</h2>
      <QueryView query={setup}>{(data) => <PostmarkForm setup={data} />}</QueryView>
    </section>
  );
}

function PostmarkForm({ setup }: { setup: Schemas['PostmarkSetup'] }) {
  const queryClient = useQueryClient();
  const [token, setToken] = useState('');
  const [senderEmail, setSenderEmail] = useState(setup.senderEmail ?? '');
  const [senderName, setSenderName] = useState(setup.senderName ?? '');
  const [stream, setStream] = useState(setup.messageStream);
  const [saved, setSaved] = useState(false);
  const save = useMutation({
    mutationFn: () =>
      unwrap(
        api.PUT('/v1/organization/postmark', {
          body: { serverToken: token, senderEmail, senderName: senderName.trim() === '' ? null : senderName, messageStream: stream.trim() === '' ? null : stream },
        }),
      ),
    onSuccess: (result) => {
      queryClient.setQueryData(queryKey, result);
      setToken('');
      setSaved(true);
    },
  });
  return (
    <>
      <dl className="facts status-facts">
        <div>
          <dt>{t('settings.postmarkCheck')}</dt>
          <dd data-configured={setup.configured}>{setup.configured ? t('settings.postmarkReady') : t('settings.postmarkNotReady')}</dd>
        </div>
        <div>
          <dt>{t('settings.serverToken')}</dt>
          <dd>{setup.tokenHint ? t('settings.tokenSet', { hint: setup.tokenHint }) : t('settings.tokenNotSet')}</dd>
        </div>
        <div>
          <dt>{t('settings.sender')}</dt>
          <dd>{setup.senderEmail ? (setup.senderName ? `${setup.senderName} <${setup.senderEmail}>` : setup.senderEmail) : t('settings.noSender')}</dd>
        </div>
        <div>
          <dt>{t('settings.webhookUrl')}</dt>
          <dd>
            <code className="secret">{setup.webhookUrl}</code>
            <br />
            <span className="muted">{t('settings.webhookUrlHint')}</span>
          </dd>
        </div>
      </dl>
      <Form
        validationBehavior="aria"
        className="settings-form"
        validationErrors={fieldErrors(save.error, FIELDS)}
        onSubmit={(event) => {
          event.preventDefault();
          setSaved(false);
          save.mutate();
        }}
      >
        <h3>{t('settings.postmarkChange')}</h3>
        <TextField name="serverToken" type="password" value={token} onChange={setToken} isRequired autoComplete="off">
          <Label>{t('settings.serverToken')}</Label>
          <Input />
          <Text slot="description" className="muted">
            {t('settings.serverTokenHint')}
          </Text>
          <FieldError />
        </TextField>
        <TextField name="senderEmail" type="email" value={senderEmail} onChange={setSenderEmail} isRequired>
          <Label>{t('settings.senderEmail')}</Label>
          <Input />
          <Text slot="description" className="muted">
            {t('settings.senderEmailHint')}
          </Text>
          <FieldError />
        </TextField>
        <TextField name="senderName" value={senderName} onChange={setSenderName}>
          <Label>{t('settings.senderName')}</Label>
          <Input />
          <FieldError />
        </TextField>
        <TextField name="messageStream" value={stream} onChange={setStream}>
          <Label>{t('settings.messageStream')}</Label>
          <Input />
          <FieldError />
        </TextField>
        <FormProblem error={save.error} fields={FIELDS} />
        <div className="detail-actions">
          <Button type="submit" className="primary" isPending={save.isPending}>
            {t('settings.save')}
          </Button>
        </div>
      </Form>
      <p role="status" aria-live="polite" className="live notice">
        {saved ? t('settings.postmarkSaved') : ''}
      </p>
    </>
  );
}
