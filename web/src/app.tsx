import { NavLink, Route, Routes } from 'react-router-dom';
import { AuthGate } from './auth/auth-gate.js';
import { ConnectionBadge } from './components/connection-badge.js';
import { AlertsPage } from './pages/alerts-page.js';
import { FailedJobsPage } from './pages/failed-jobs-page.js';
import { LabPage } from './pages/lab-page.js';
import { NotFoundPage } from './pages/not-found-page.js';
import { OverviewPage } from './pages/overview-page.js';
import { QueuePage } from './pages/queue-page.js';

const links = [
  { to: '/', label: 'Overview', id: 'overview' },
  { to: '/failed', label: 'Failed jobs', id: 'failed' },
  { to: '/alerts', label: 'Alerts', id: 'alerts' },
  { to: '/lab', label: 'Lab', id: 'lab' },
] as const;

/** The dashboard: top bar, token form when needed, and the page of the URL. */
export function App() {
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <NavLink to="/" className="brand">
          <span className="brand__mark" aria-hidden="true">
            ◉
          </span>
          Queuewatch
        </NavLink>
        <nav aria-label="Main" className="nav">
          <ul>
            {links.map((link) => (
              <li key={link.id}>
                <NavLink to={link.to} end={link.to === '/'} data-testid={`nav-${link.id}`}>
                  {link.label}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <ConnectionBadge />
      </header>
      <AuthGate />
      <main id="main" className="main" tabIndex={-1}>
        <Routes>
          <Route path="/" element={<OverviewPage />} />
          <Route path="/queues/:name" element={<QueuePage />} />
          <Route path="/failed" element={<FailedJobsPage />} />
          <Route path="/alerts" element={<AlertsPage />} />
          <Route path="/lab" element={<LabPage />} />
          <Route path="*" element={<NotFoundPage />} />
        </Routes>
      </main>
    </div>
  );
}
