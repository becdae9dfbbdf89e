// Sign-in: ask for a magic link (POST /v1/auth/magic-link); the link in the email signs in and
// lands on /app/. When the organization is known (`?organization=<id>`, the link an admin shares,
// or the one this browser last signed in to) and it has single sign-on set up, a button starts it.
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Button, FieldError, Form, Input, Label, TextField } from 'react-aria-components';
import { Navigate, useSearchParams } from 'react-router';
import { ApiProblem, api, unwrap } from '../../api/client';
import { lastOrganization, useMe } from '../../api/session';
import { t } from '../../i18n';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function SignIn() {
  const me = useMe();
  const [params] = useSearchParams();
  const organization = [params.get('organization'), lastOrganization()].find((id) => id && UUID.test(id)) ?? null;
  const options = useQuery({
    queryKey: ['sign-in-options', organization],
    queryFn: () => unwrap(api.GET('/v1/auth/sso/{organizationId}/options', { params: { path: { organizationId: organization! } } })),
    enabled: organization !== null,
  });
  const [email, setEmail] = useState('');
  const request = useMutation({ mutationFn: (address: string) => unwrap(api.POST('/v1/auth/magic-link', { body: { email: address } })) });
  if (me.data) return <Navigate to="/requisitions" replace />;

  const problem = request.error instanceof ApiProblem ? request.error : null;
  const emailError = problem?.fieldError('body.email');

  return (
    <main id="main" className="sign-in">
      <h1>{t('signIn.title')}</h1>
      <p>{t('signIn.intro')}</p>
      {request.isSuccess ? (
        <p role="status" className="notice">
          {t('signIn.sent', { email })}
        </p>
      ) : (
        <Form
          validationErrors={emailError ? { email: emailError } : {}}
          onSubmit={(event) => {
            event.preventDefault();
            request.mutate(email);
          }}
        >
          <TextField name="email" type="email" isRequired value={email} onChange={setEmail} autoComplete="email">
            <Label>{t('signIn.email')}</Label>
            <Input />
            <FieldError />
          </TextField>
          {problem && !emailError ? (
            <p role="alert" className="error-text">
              {problem.detail}
            </p>
          ) : null}
          <Button type="submit" className="primary" isPending={request.isPending}>
            {request.isPending ? t('signIn.sending') : t('signIn.submit')}
          </Button>
        </Form>
      )}
      {organization && options.data?.singleSignOn ? (
        <>
          <p className="or">{t('signIn.or')}</p>
          {/* A full page load to the API, which redirects to the identity provider: not a route of the app. */}
          <a className="button" href={`/v1/auth/sso/${organization}`}>
            {t('signIn.sso')}
          </a>
        </>
      ) : null}
    </main>
  );
}
