import { QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { lazy, StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { RouterProvider as AriaRouterProvider } from 'react-aria-components';
import { BrowserRouter, Navigate, Route, Routes, useHref, useNavigate } from 'react-router';
import { ApiProblem } from './api/client';
import { draftsQuery, organizationQuery } from './api/queries';
import { meQuery, meQueryKey } from './api/session';
import { Layout } from './components/Layout';
import { Requisitions } from './routes/requisitions/Requisitions';
import { SignIn } from './routes/sign-in/SignIn';
import { t } from './i18n';
import './styles.css';

// The first screens (sign-in, requisitions) come with the app; every other screen is its own chunk,
// loaded when opened (Layout shows "Loading…" meanwhile), so the initial download stays within the
// budget bench/scenarios/web-inbox-5k.ts checks.
const screens = {
  requisition: () => import('./routes/requisitions/Requisition'),
  inbox: () => import('./routes/inbox/Inbox'),
  sent: () => import('./routes/sent/Sent'),
  followUps: () => import('./routes/follow-ups/FollowUps'),
  decision: () => import('./routes/decision/Decision'),
  settings: () => import('./routes/settings/Settings'),
};
const Requisition = lazy(() => screens.requisition().then((m) => ({ default: m.Requisition })));
const Inbox = lazy(() => screens.inbox().then((m) => ({ default: m.Inbox })));
const Sent = lazy(() => screens.sent().then((m) => ({ default: m.Sent })));
const FollowUps = lazy(() => screens.followUps().then((m) => ({ default: m.FollowUps })));
const Decision = lazy(() => screens.decision().then((m) => ({ default: m.Decision })));
const Settings = lazy(() => screens.settings());

const queryClient: QueryClient = new QueryClient({
  defaultOptions: { queries: { retry: (count, error) => !(error instanceof ApiProblem && error.status < 500) && count < 2 } },
  // A session that ended (401 anywhere) sends the person back to sign-in.
  queryCache: new QueryCache({
    onError: (error) => {
      if (error instanceof ApiProblem && error.status === 401) queryClient.setQueryData(meQueryKey, null);
    },
  }),
});

/**
 * The session check (GET /v1/me) and the screen the address names start loading now, together,
 * before React first renders: the screen's chunk, and for the inbox its first page of drafts and
 * the send policy. Without a session those answer 401 like /v1/me, and the app goes to sign-in as
 * it would anyway.
 */
function preloadScreen(path: string, search: URLSearchParams) {
  const [first, second, third] = path.replace(/^\/app\/?/, '').split('/');
  if (first === 'sign-in') return;
  void queryClient.prefetchQuery(meQuery);
  if (first === 'inbox') {
    void screens.inbox();
    void queryClient.prefetchInfiniteQuery(draftsQuery(search.get('requisition') ?? undefined));
    void queryClient.prefetchQuery(organizationQuery);
  } else if (first === 'requisitions' && second) void (third === 'decision' ? screens.decision() : screens.requisition());
  else if (first === 'sent') void screens.sent();
  else if (first === 'follow-ups') void screens.followUps();
  else if (first === 'settings') void screens.settings();
}
preloadScreen(window.location.pathname, new URLSearchParams(window.location.search));

/** React Aria's links navigate through the router (client side, with the /app base). */
function AriaRouter({ children }: { children: React.ReactNode }) {
  const navigate = useNavigate();
  return (
    <AriaRouterProvider navigate={(to) => void navigate(to)} useHref={useHref}>
      {children}
    </AriaRouterProvider>
  );
}

function App() {
  return (
    <BrowserRouter basename="/app">
      <AriaRouter>
        <Routes>
          <Route path="sign-in" element={<SignIn />} />
          <Route element={<Layout />}>
            <Route index element={<Navigate to="/requisitions" replace />} />
            <Route path="requisitions" element={<Requisitions />} />
            <Route path="requisitions/:id" element={<Requisition />} />
            <Route path="requisitions/:id/decision" element={<Decision />} />
            <Route path="inbox" element={<Inbox />} />
            <Route path="sent" element={<Sent />} />
            <Route path="follow-ups" element={<FollowUps />} />
            <Route path="settings/*" element={<Settings />} />
            <Route path="*" element={<p>{t('app.notFound')}</p>} />
          </Route>
        </Routes>
      </AriaRouter>
    </BrowserRouter>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <App />
    </QueryClientProvider>
  </StrictMode>,
);
