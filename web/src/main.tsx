import { QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { lazy, StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { RouterProvider as AriaRouterProvider } from 'react-aria-components';
import { BrowserRouter, Navigate, Route, Routes, useHref, useNavigate } from 'react-router';
import { ApiProblem } from './api/client';
import { meQueryKey } from './api/session';
import { Layout } from './components/Layout';
import { Requisitions } from './routes/requisitions/Requisitions';
import { SignIn } from './routes/sign-in/SignIn';
import { t } from './i18n';
import './styles.css';

// The first screens (sign-in, requisitions) come with the app; every other screen is its own chunk,
// loaded when opened (Layout shows "Loading…" meanwhile), so the initial download stays within the
// budget bench/scenarios/web-inbox-5k.ts checks.
const Requisition = lazy(() => import('./routes/requisitions/Requisition').then((m) => ({ default: m.Requisition })));
const Inbox = lazy(() => import('./routes/inbox/Inbox').then((m) => ({ default: m.Inbox })));
const Sent = lazy(() => import('./routes/sent/Sent').then((m) => ({ default: m.Sent })));
const FollowUps = lazy(() => import('./routes/follow-ups/FollowUps').then((m) => ({ default: m.FollowUps })));
const Decision = lazy(() => import('./routes/decision/Decision').then((m) => ({ default: m.Decision })));
const Settings = lazy(() => import('./routes/settings/Settings'));

const queryClient: QueryClient = new QueryClient({
  defaultOptions: { queries: { retry: (count, error) => !(error instanceof ApiProblem && error.status < 500) && count < 2 } },
  // A session that ended (401 anywhere) sends the person back to sign-in.
  queryCache: new QueryCache({
    onError: (error) => {
      if (error instanceof ApiProblem && error.status === 401) queryClient.setQueryData(meQueryKey, null);
    },
  }),
});

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
