import { Route, Routes } from 'react-router';
import type { NavSection } from '../../shell/navigation';
import { isOperator } from '../../shell/navigation';
import { OpsOverviewPage } from './ops-overview-page';

/**
 * The operator section: its navigation and its routes below /console/ops/. Operator pages are added here
 * (one file each in this folder); the shell needs no change for them.
 */
export const opsNavigation: NavSection = {
  title: 'Operations',
  visible: isOperator,
  items: [{ to: '/ops', label: 'Overview' }],
};

export function OpsRoutes() {
  return (
    <Routes>
      <Route index element={<OpsOverviewPage />} />
    </Routes>
  );
}
