// The signed-in frame: a skip link, the navigation, who is signed in, sign-out; the screen in
// <main>. Without a session, the sign-in screen instead.
import { useQueryClient } from '@tanstack/react-query';
import { Button, Link } from 'react-aria-components';
import { Navigate, Outlet, useLocation } from 'react-router';
import { api, setCsrfToken } from '../api/client';
import { meQueryKey, useMe } from '../api/session';
import { t } from '../i18n';
import { ErrorState, Loading } from './States';

const NAV = [
  { to: '/requisitions', label: t('app.requisitions') },
  { to: '/inbox', label: t('app.inbox') },
  { to: '/sent', label: t('app.sent') },
] as const;

export function Layout() {
  const me = useMe();
  const location = useLocation();
  const queryClient = useQueryClient();
  if (me.isPending) return <Loading />;
  if (me.isError && !(me.error && 'status' in me.error && me.error.status === 401)) return <ErrorState error={me.error} retry={() => void me.refetch()} />;
  if (!me.data) return <Navigate to="/sign-in" replace />;

  const signOut = async () => {
    await api.POST('/v1/auth/sign-out');
    setCsrfToken(null);
    queryClient.clear();
    queryClient.setQueryData(meQueryKey, null);
  };

  return (
    <>
      <a className="skip" href="#main">
        {t('app.skipToContent')}
      </a>
      <header className="top">
        <span className="brand">{t('app.name')}</span>
        <nav aria-label={t('app.nav')}>
          <ul>
            {NAV.map((item) => (
              <li key={item.to}>
                <Link href={item.to} aria-current={location.pathname.startsWith(item.to) ? 'page' : undefined}>
                  {item.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <span className="who">{t('app.signedInAs', { name: me.data.user?.name ?? me.data.user?.email ?? '—' })}</span>
        <Button className="quiet" onPress={() => void signOut()}>
          {t('app.signOut')}
        </Button>
      </header>
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </>
  );
}
