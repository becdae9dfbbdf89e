// The send policy: the undo window, the sending hours and days in the candidate's time zone, and
// the hours after an interview. Once it changes, messages already approved keep the send time
// the old policy gave them unless rescheduled (POST /v1/messages/reschedule), which is offered.
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { Button, FieldError, Form, Input, Label, NumberField, Radio, RadioGroup, Text } from 'react-aria-components';
import { api, unwrap, type Schemas } from '../../api/client';
import { t } from '../../i18n';
import { useOrganization, useSaveOrganization } from './organization';
import { QueryView } from './Fold';
import { fieldErrors, FormProblem } from './problems';

const FIELDS = ['undoWindowMinutes', 'sendHourStart', 'sendHourEnd', 'sendWeekdaysOnly', 'hoursAfterInterview'] as const;

export function SendPolicy() {
  const organization = useOrganization();
  return (
    <section aria-labelledby="send-policy">
      <h2 id="send-policy">{t('settings.sendPolicy')}</h2>
      <p className="muted">{t('settings.sendPolicyIntro')}</p>
      <QueryView query={organization}>{(data) => <PolicyForm organization={data} />}</QueryView>
    </section>
  );
}

function PolicyForm({ organization }: { organization: Schemas['Organization'] }) {
  const [values, setValues] = useState(() => Object.fromEntries(FIELDS.map((field) => [field, organization[field]])) as Pick<Schemas['Organization'], (typeof FIELDS)[number]>);
  const [changed, setChanged] = useState(false);
  const save = useSaveOrganization(() => setChanged(true));
  const reschedule = useMutation({ mutationFn: () => unwrap(api.POST('/v1/messages/reschedule', { body: {} })) });
  const number = (field: Exclude<(typeof FIELDS)[number], 'sendWeekdaysOnly'>, min: number, max: number, label: string, hint: string) => (
    <NumberField
      name={field}
      value={values[field]}
      onChange={(value) => setValues((v) => ({ ...v, [field]: value }))}
      minValue={min}
      maxValue={max}
      formatOptions={{ maximumFractionDigits: 0, useGrouping: false }}
    >
      <Label>{label}</Label>
      <Input />
      <Text slot="description" className="muted">
        {hint}
      </Text>
      <FieldError />
    </NumberField>
  );
  return (
    <>
      <Form
        validationBehavior="aria"
        className="settings-form"
        validationErrors={fieldErrors(save.error, FIELDS)}
        onSubmit={(event) => {
          event.preventDefault();
          reschedule.reset();
          setChanged(false);
          save.mutate(values);
        }}
      >
        {number('undoWindowMinutes', 0, 1440, t('settings.undoWindow'), t('settings.undoWindowHint'))}
        <fieldset className="pair">
          <legend>{t('settings.sendingHours')}</legend>
          {number('sendHourStart', 0, 23, t('settings.sendHourStart'), t('settings.sendHourStartHint'))}
          {number('sendHourEnd', 1, 24, t('settings.sendHourEnd'), t('settings.sendHourEndHint'))}
        </fieldset>
        <RadioGroup
          name="sendWeekdaysOnly"
          value={values.sendWeekdaysOnly ? 'weekdays' : 'every'}
          onChange={(value) => setValues((v) => ({ ...v, sendWeekdaysOnly: value === 'weekdays' }))}
        >
          <Label>{t('settings.sendDays')}</Label>
          <Radio value="weekdays">{t('settings.weekdaysOnly')}</Radio>
          <Radio value="every">{t('settings.everyDay')}</Radio>
          <FieldError />
        </RadioGroup>
        {number('hoursAfterInterview', 0, 336, t('settings.hoursAfterInterview'), t('settings.hoursAfterInterviewHint'))}
        <FormProblem error={save.error} fields={FIELDS} />
        <div className="detail-actions">
          <Button type="submit" className="primary" isPending={save.isPending}>
            {t('settings.save')}
          </Button>
        </div>
      </Form>
      <div role="status" aria-live="polite" className="live">
        {changed ? (
          <div className="notice">
            <p>{t('settings.policySaved')}</p>
            {reschedule.isSuccess ? (
              <p>{t('settings.rescheduled', { rescheduled: reschedule.data.rescheduled, unchanged: reschedule.data.unchanged })}</p>
            ) : (
              <Button onPress={() => reschedule.mutate()} isPending={reschedule.isPending}>
                {t('settings.reschedule')}
              </Button>
            )}
            <FormProblem error={reschedule.error} fields={[]} />
          </div>
        ) : null}
      </div>
    </>
  );
}
