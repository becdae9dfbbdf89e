// The signed-in frame: a skip link, the navigation, who is signed in, sign-out; the screen in
// <main>. Without a session, the sign-in screen instead.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Link } from 'react-aria-components';
import { Component, Suspense, type ReactNode } from 'react';
import { Navigate, Outlet, useLocation } from 'react-router';
import { api, setCsrfToken, unwrap } from '../api/client';
import { isAdmin, meQueryKey, useMe } from '../api/session';
import { t } from '../i18n';
import { ErrorState, Loading } from './States';

const NAV = [
  { to: '/requisitions', label: t('app.requisitions') },
  { to: '/inbox', label: t('app.inbox') },
  { to: '/sent', label: t('app.sent') },
  { to: '/follow-ups', label: t('app.followUps') },
] as const;
/** Shown to admins only (the settings route itself tells anyone else it is for admins). */
const ADMIN_NAV = [{ to: '/settings', label: t('app.settings') }] as const;

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
            {[...NAV, ...(isAdmin(me.data) ? ADMIN_NAV : [])].map((item) => (
              <li key={item.to}>
                <Link href={item.to} aria-current={location.pathname.startsWith(item.to) ? 'page' : undefined}>
                  {item.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <Bell />
        <span className="who">{t('app.signedInAs', { name: me.data.user?.name ?? me.data.user?.email ?? '—' })}</span>
        <Button className="quiet" onPress={() => void signOut()}>
          {t('app.signOut')}
        </Button>
      </header>
      <main id="main" tabIndex={-1}>
        <ScreenFailed key={location.pathname}>
          <Suspense fallback={<Loading />}>
            <Outlet />
          </Suspense>
        </ScreenFailed>
      </main>
    </>
  );
}

/**
 * A screen whose code could not be loaded (offline, or a new version deployed since the page was
 * opened: its old chunk is gone) or that threw while rendering: the error in words and a reload,
 * instead of a blank page. Keyed by path, so moving to another screen tries again.
 */
class ScreenFailed extends Component<{ children: ReactNode }, { error: unknown }> {
  override state: { error: unknown } = { error: null };
  static getDerivedStateFromError(error: unknown) {
    return { error };
  }
  override render() {
    if (this.state.error === null) return this.props.children;
    return <ErrorState error={this.state.error} retry={() => window.location.reload()} />;
  }
}

/** The unread count, linking to the follow-ups where the notifications are read (refreshed each minute). */
function Bell() {
  const unread = useQuery({
    queryKey: ['notifications', 'unread'],
    queryFn: () => unwrap(api.GET('/v1/notifications', { params: { query: { unread: 'true', limit: 200 } } })),
    refetchInterval: 60_000,
  });
  const count = unread.data ? (unread.data.nextCursor ? '200+' : String(unread.data.data.length)) : '0';
  return (
    <Link href="/follow-ups#notifications" className="bell" aria-label={t('app.bell', { count })}>
      <svg aria-hidden="true" viewBox="0 0 24 24" width="18" height="18">
        <path fill="currentColor" d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1Z" />
      </svg>
      <span className="count" data-unread={count}>
        {count}
      </span>
    </Link>
  );
}
