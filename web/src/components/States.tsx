// The three states every screen has besides its content: loading, empty, error.
import { Button } from 'react-aria-components';
import { ApiProblem } from '../api/client';
import { t } from '../i18n';

export function Loading() {
  return (
    <p className="state" role="status" aria-live="polite">
      {t('states.loading')}
    </p>
  );
}

export function Empty({ children }: { children: string }) {
  return <p className="state empty">{children}</p>;
}

export function ErrorState({ error, retry }: { error: unknown; retry?: () => void }) {
  const detail = error instanceof ApiProblem ? error.detail : error instanceof Error ? error.message : String(error);
  return (
    <div className="state error" role="alert">
      <h2>{t('states.errorTitle')}</h2>
      <p>{detail}</p>
      {retry ? <Button onPress={retry}>{t('states.retry')}</Button> : null}
    </div>
  );
}
