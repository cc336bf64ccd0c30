import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { useMe, useSession } from './session/session';
import { AppShell } from './shell/app-shell';
import { isOperator, type NavSection } from './shell/navigation';
import { NotFoundPage } from './pages/not-found-page';
import { SignInPage } from './pages/sign-in-page';
import { OpsRoutes, opsNavigation } from './pages/ops/ops-section';
import { reviewNavigation, ReviewRoutes } from './pages/recordings/review-section';

/** Every section of the navigation, in order; a section's routes live with its pages. */
const SECTIONS: NavSection[] = [reviewNavigation, opsNavigation];

/** The console's routes below /console/; signed-out visitors see the sign-in form whatever the path. */
export function App() {
  return (
    <BrowserRouter basename="/console">
      <SessionGate />
    </BrowserRouter>
  );
}

function SessionGate() {
  const { state } = useSession();
  if (state.status === 'loading') return <p role="status" className="loading">Loading…</p>;
  if (state.status === 'signed-out') return <SignInPage notice={state.error} />;
  return (
    <Routes>
      <Route element={<AppShell sections={SECTIONS} />}>
        <Route index element={<StartPage />} />
        <Route path="recordings/*" element={<ReviewRoutes />} />
        <Route path="ops/*" element={<OpsRoutes />} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}

/** The ops account starts in the operator section, everyone else at the recording search. */
function StartPage() {
  const me = useMe();
  return <Navigate to={isOperator(me) ? '/ops' : '/recordings'} replace />;
}
