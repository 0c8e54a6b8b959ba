import { Link, useLocation } from 'react-router-dom';
import { EmptyState } from '../components/empty-state.js';
import { usePageTitle } from '../hooks/use-page-title.js';

/** Any other path. */
export function NotFoundPage() {
  usePageTitle('Not found');
  const { pathname } = useLocation();
  return (
    <div className="page" data-testid="not-found-page">
      <h1>Not found</h1>
      <EmptyState title={`Nothing lives at ${pathname}`}>
        <Link to="/">Back to the overview</Link>
      </EmptyState>
    </div>
  );
}
