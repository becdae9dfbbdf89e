import { QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { lazy, StrictMode, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import { RouterProvider as AriaRouterProvider } from 'react-aria-components';
import { BrowserRouter, Navigate, Route, Routes, useHref, useNavigate } from 'react-router';
import { ApiProblem } from './api/client';
import { meQueryKey } from './api/session';
import { Layout } from './components/Layout';
import { Loading } from './components/States';
import { FollowUps } from './routes/follow-ups/FollowUps';
import { Inbox } from './routes/inbox/Inbox';
import { Requisition } from './routes/requisitions/Requisition';
import { Requisitions } from './routes/requisitions/Requisitions';
import { Sent } from './routes/sent/Sent';
import { SignIn } from './routes/sign-in/SignIn';
import { t } from './i18n';
import './styles.css';

// Admins only, rarely opened: its own chunk, so it does not grow the initial bundle.
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
            <Route path="inbox" element={<Inbox />} />
            <Route path="sent" element={<Sent />} />
            <Route path="follow-ups" element={<FollowUps />} />
            <Route
              path="settings/*"
              element={
                <Suspense fallback={<Loading />}>
                  <Settings />
                </Suspense>
              }
            />
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
