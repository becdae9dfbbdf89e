// Four-eyes approval: whoever confirmed a decision or last edited a message may not approve it.
import { useState } from 'react';
import { Switch } from 'react-aria-components';
import { t } from '../../i18n';
import { useOrganization, useSaveOrganization } from './organization';
import { QueryView } from './Fold';
import { FormProblem } from './problems';

export function FourEyes() {
  const organization = useOrganization();
  const [notice, setNotice] = useState('');
  const save = useSaveOrganization((saved) => setNotice(saved.fourEyesApproval ? t('settings.fourEyesOn') : t('settings.fourEyesOff')));
  return (
    <section aria-labelledby="four-eyes">
      <h2 id="four-eyes">{t('settings.fourEyes')}</h2>
      <p className="muted">{t('settings.fourEyesIntro')}</p>
      <QueryView query={organization}>
        {(data) => (
          <>
            <Switch
              isSelected={save.isPending ? save.variables.fourEyesApproval : data.fourEyesApproval}
              isDisabled={save.isPending}
              onChange={(fourEyesApproval) => {
                setNotice('');
                save.mutate({ fourEyesApproval });
              }}
            >
              <span className="indicator" aria-hidden="true" />
              {t('settings.fourEyesSwitch')}
            </Switch>
            <FormProblem error={save.error} fields={[]} />
          </>
        )}
      </QueryView>
      <p role="status" aria-live="polite" className="live">
        {notice}
      </p>
    </section>
  );
}
