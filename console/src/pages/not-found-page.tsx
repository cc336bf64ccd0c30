import { Link } from 'react-router';
import { usePageTitle } from '../shell/page-title';

export function NotFoundPage() {
  usePageTitle('Not found');
  return (
    <section>
      <h1>Page not found</h1>
      <p>
        <Link to="/">Back to the start</Link>
      </p>
    </section>
  );
}
