// Settings for admins (lazy-loaded: not in the initial bundle): the send policy, four-eyes, people
// and roles, the Postmark sender, webhook endpoints, ATS connections and the template editor,
// each a sub-page. Anyone else sees that the page is for admins (the API refuses them anyway).
import { Link } from 'react-aria-components';
import { Navigate, Route, Routes, useLocation } from 'react-router';
import { isAdmin, useMe } from '../../api/session';
import { t, type MessageKey } from '../../i18n';
import { Ats } from './Ats';
import { FourEyes } from './FourEyes';
import { Postmark } from './Postmark';
import { SendPolicy } from './SendPolicy';
import { TemplateEditor, Templates } from './Templates';
import { Users } from './Users';
import { Webhooks } from './Webhooks';

const PAGES: { to: string; label: MessageKey }[] = [
  { to: 'send-policy', label: 'settings.sendPolicy' },
  { to: 'four-eyes', label: 'settings.fourEyes' },
  { to: 'users', label: 'settings.users' },
  { to: 'postmark', label: 'settings.postmark' },
  { to: 'webhooks', label: 'settings.webhooks' },
  { to: 'ats', label: 'settings.ats' },
  { to: 'templates', label: 'settings.templates' },
];

export default function Settings() {
  const me = useMe();
  const location = useLocation();
  if (!isAdmin(me.data)) {
    return (
      <>
        <h1>{t('settings.title')}</h1>
        <div className="state notice" role="status">
          <h2>{t('settings.adminsOnly')}</h2>
          <p>{t('settings.adminsOnlyDetail')}</p>
        </div>
      </>
    );
  }
  return (
    <>
      <h1>{t('settings.title')}</h1>
      <div className="settings">
        <nav aria-label={t('settings.nav')} className="settings-nav">
          <ul>
            {PAGES.map((page) => (
              <li key={page.to}>
                <Link href={`/settings/${page.to}`} aria-current={location.pathname.startsWith(`/settings/${page.to}`) ? 'page' : undefined}>
                  {t(page.label)}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div className="settings-page">
          <Routes>
            <Route index element={<Navigate to="send-policy" replace />} />
            <Route path="send-policy" element={<SendPolicy />} />
            <Route path="four-eyes" element={<FourEyes />} />
            <Route path="users" element={<Users />} />
            <Route path="postmark" element={<Postmark />} />
            <Route path="webhooks" element={<Webhooks />} />
            <Route path="ats" element={<Ats />} />
            <Route path="templates" element={<Templates />} />
            <Route path="templates/:kind/:locale" element={<TemplateEditor />} />
            <Route path="*" element={<p>{t('app.notFound')}</p>} />
          </Routes>
        </div>
      </div>
    </>
  );
}
