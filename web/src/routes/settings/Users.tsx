// People and roles: invite someone (an email with a sign-in link), change a role (their sessions
// end), deactivate or reactivate, send an invitation again or withdraw it.
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { Button, FieldError, Form, Heading, Input, Label, TextField } from 'react-aria-components';
import { api, ApiProblem, unwrap, type Schemas } from '../../api/client';
import { Empty, ErrorState, Loading } from '../../components/States';
import { t, word } from '../../i18n';
import { Choice } from './Choice';
import { DialogButton } from './DialogButton';
import { fieldErrors, FormProblem } from './problems';

type Role = Schemas['User']['role'];
const ROLES: Role[] = ['admin', 'recruiter', 'hiring_manager', 'viewer'];
const INVITE_FIELDS = ['email', 'name', 'role'] as const;

/** The role of one person, changed in a dialog (their sessions end when it changes). */
function ChangeRole({ user, onChange }: { user: Schemas['User']; onChange: (role: Role) => void }) {
  const [role, setRole] = useState<Role>(user.role);
  return (
    <DialogButton label={t('settings.changeRole')} ariaLabel={t('settings.changeRoleOf', { name: user.name })} isDisabled={user.status === 'deactivated'}>
      {(close) => (
        <>
          <Heading slot="title">{t('settings.roleOf', { name: user.name })}</Heading>
          <Choice label={t('settings.role')} value={role} options={ROLES} onChange={setRole} words={(r) => word('roles', r)} className="stacked" />
          <div className="detail-actions">
            <Button
              className="primary"
              onPress={() => {
                close();
                if (role !== user.role) onChange(role);
              }}
            >
              {t('settings.save')}
            </Button>
            <Button onPress={close}>{t('settings.cancel')}</Button>
          </div>
        </>
      )}
    </DialogButton>
  );
}

export function Users() {
  const queryClient = useQueryClient();
  const [notice, setNotice] = useState('');
  const list = useInfiniteQuery({
    queryKey: ['users'],
    queryFn: ({ pageParam }) => unwrap(api.GET('/v1/users', { params: { query: { limit: 100, ...(pageParam ? { cursor: pageParam } : {}) } } })),
    initialPageParam: '',
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const users = useMemo(() => (list.data?.pages ?? []).flatMap((page) => page.data), [list.data]);
  const act = useMutation({
    mutationFn: async ({ user, step, role }: { user: Schemas['User']; step: 'role' | 'deactivate' | 'reactivate' | 'resend' | 'revoke'; role?: Role }) => {
      const path = { params: { path: { id: user.id } } };
      if (step === 'role') return unwrap(api.PATCH('/v1/users/{id}', { ...path, body: { role: role! } }));
      if (step === 'deactivate') return unwrap(api.POST('/v1/users/{id}/deactivate', path));
      if (step === 'reactivate') return unwrap(api.POST('/v1/users/{id}/reactivate', path));
      if (step === 'resend') return unwrap(api.POST('/v1/users/{id}/invitation', path));
      return unwrap(api.POST('/v1/users/{id}/invitation/revoke', path));
    },
    onSuccess: async (_user, { user, step, role }) => {
      const name = user.name;
      setNotice(
        step === 'role'
          ? t('settings.roleChanged', { name, role: word('roles', role) })
          : step === 'deactivate'
            ? t('settings.deactivated', { name })
            : step === 'reactivate'
              ? t('settings.reactivated', { name })
              : step === 'resend'
                ? t('settings.invitationSent', { name })
                : t('settings.invitationRevoked', { name }),
      );
      await queryClient.invalidateQueries({ queryKey: ['users'] });
    },
    onError: (error) => setNotice(error instanceof ApiProblem ? error.detail : String(error)),
  });

  return (
    <section aria-labelledby="users">
      <h2 id="users">{t('settings.users')}</h2>
      <Invite onInvited={(user) => setNotice(t('settings.invited', { name: user.name, email: user.email }))} />
      <p role="status" aria-live="polite" className="live notice">
        {notice}
      </p>
      {list.isPending ? (
        <Loading />
      ) : list.isError ? (
        <ErrorState error={list.error} retry={() => void list.refetch()} />
      ) : users.length === 0 ? (
        <Empty>{t('settings.noUsers')}</Empty>
      ) : (
        <div className="table-scroll" tabIndex={0} role="region" aria-label={t('settings.users')}>
          <table className="messages">
            <thead>
              <tr>
                <th scope="col">{t('settings.person')}</th>
                <th scope="col">{t('settings.role')}</th>
                <th scope="col">{t('settings.userStatus')}</th>
                <th scope="col">{t('settings.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {users.map((user) => (
                <tr key={user.id} data-user={user.email}>
                  <th scope="row">
                    {user.name}
                    <br />
                    <span className="muted">{user.email}</span>
                  </th>
                  <td>
                    <div className="steps">
                      <span data-role>{word('roles', user.role)}</span>
                      <ChangeRole user={user} onChange={(role) => act.mutate({ user, step: 'role', role })} />
                    </div>
                  </td>
                  <td>
                    {user.status === 'invited'
                      ? t('settings.statusInvited', { date: user.invitationExpiresAt ? new Date(user.invitationExpiresAt).toLocaleString() : '—' })
                      : user.status === 'deactivated'
                        ? t('settings.statusDeactivated')
                        : t('settings.statusActive')}
                  </td>
                  <td>
                    <div className="steps">
                      {user.status === 'invited' ? (
                        <>
                          <Button onPress={() => act.mutate({ user, step: 'resend' })}>{t('settings.resendInvitation')}</Button>
                          <Button onPress={() => act.mutate({ user, step: 'revoke' })}>{t('settings.revokeInvitation')}</Button>
                        </>
                      ) : user.status === 'active' ? (
                        <Button onPress={() => act.mutate({ user, step: 'deactivate' })}>{t('settings.deactivate')}</Button>
                      ) : (
                        <Button onPress={() => act.mutate({ user, step: 'reactivate' })}>{t('settings.reactivate')}</Button>
                      )}
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {list.hasNextPage ? (
        <Button onPress={() => void list.fetchNextPage()} isPending={list.isFetchingNextPage}>
          {t('settings.more')}
        </Button>
      ) : null}
    </section>
  );
}

function Invite({ onInvited }: { onInvited: (user: Schemas['User']) => void }) {
  const queryClient = useQueryClient();
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('recruiter');
  const invite = useMutation({
    mutationFn: () => unwrap(api.POST('/v1/users', { body: { email, name, role } })),
    onSuccess: async (user) => {
      setEmail('');
      setName('');
      onInvited(user);
      await queryClient.invalidateQueries({ queryKey: ['users'] });
    },
  });
  return (
    <Form
      validationBehavior="aria"
      className="settings-form inline-form"
      aria-label={t('settings.invite')}
      validationErrors={fieldErrors(invite.error, INVITE_FIELDS)}
      onSubmit={(event) => {
        event.preventDefault();
        invite.mutate();
      }}
    >
      <h3>{t('settings.invite')}</h3>
      <TextField name="name" value={name} onChange={setName} isRequired>
        <Label>{t('settings.name')}</Label>
        <Input />
        <FieldError />
      </TextField>
      <TextField name="email" type="email" value={email} onChange={setEmail} isRequired>
        <Label>{t('settings.email')}</Label>
        <Input />
        <FieldError />
      </TextField>
      <Choice name="role" label={t('settings.role')} value={role} options={ROLES} onChange={setRole} words={(r) => word('roles', r)} />
      <FormProblem error={invite.error} fields={INVITE_FIELDS} />
      <div className="detail-actions">
        <Button type="submit" className="primary" isPending={invite.isPending}>
          {t('settings.sendInvitation')}
        </Button>
      </div>
    </Form>
  );
}
