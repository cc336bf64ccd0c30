import { Route, Routes } from 'react-router';
import type { NavSection } from '../../shell/navigation';
import { isOperator } from '../../shell/navigation';
import { useMe } from '../../session/session';
import { usePageTitle } from '../../shell/page-title';
import { NotFoundPage } from '../not-found-page';
import { CertificatesPage } from './certificates-page';
import { ContactCentersPage } from './contact-centers-page';
import { ExportsPage } from './exports-page';
import { HealthPage } from './health-page';
import { PlacesPage } from './places-page';
import { RecordersPage } from './recorders-page';
import { RetentionPage } from './retention-page';
import { UsersPage } from './users-page';
import { WebhooksPage } from './webhooks-page';
import './ops.css';

/**
 * The operator section: its navigation and its routes below /console/ops/, one page per file in this folder.
 * Only the ops account sees it; the API refuses everyone else anyway (403, statusCode 5).
 */
export const opsNavigation: NavSection = {
  title: 'Operations',
  visible: isOperator,
  items: [
    { to: '/ops', label: 'Health' },
    { to: '/ops/recorders', label: 'Recorders' },
    { to: '/ops/contact-centers', label: 'Contact centers' },
    { to: '/ops/users', label: 'Users and roles' },
    { to: '/ops/places', label: 'Places and DNs' },
    { to: '/ops/certificates', label: 'Certificates' },
    { to: '/ops/retention', label: 'Retention' },
    { to: '/ops/webhooks', label: 'Webhooks' },
    { to: '/ops/exports', label: 'Exports' },
  ],
};

export function OpsRoutes() {
  const me = useMe();
  if (!isOperator(me)) return <NotForYou />;
  return (
    <Routes>
      <Route index element={<HealthPage />} />
      <Route path="recorders" element={<RecordersPage />} />
      <Route path="contact-centers" element={<ContactCentersPage />} />
      <Route path="users" element={<UsersPage />} />
      <Route path="places" element={<PlacesPage />} />
      <Route path="certificates" element={<CertificatesPage />} />
      <Route path="retention" element={<RetentionPage />} />
      <Route path="webhooks" element={<WebhooksPage />} />
      <Route path="exports" element={<ExportsPage />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}

/** Someone other than the ops account followed a link here: say so rather than show pages the API refuses. */
function NotForYou() {
  usePageTitle('Operations');
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">Operations</h1>
      <p role="alert" className="error">
        These pages are for the operator account.
      </p>
    </section>
  );
}
