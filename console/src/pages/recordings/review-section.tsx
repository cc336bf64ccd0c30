import { Route, Routes } from 'react-router';
import { isReviewer, type NavSection } from '../../shell/navigation';
import { RecordingPage } from './recording-page';
import { SearchPage } from './search-page';

/** Supervisors and reviewers: find calls, replay them with their screens. */
export const reviewNavigation: NavSection = {
  title: 'Recordings',
  visible: isReviewer,
  items: [{ to: '/recordings', label: 'Search' }],
};

export function ReviewRoutes() {
  return (
    <Routes>
      <Route index element={<SearchPage />} />
      <Route path=":id" element={<RecordingPage />} />
    </Routes>
  );
}
