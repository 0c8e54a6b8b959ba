import { useState } from 'react';
import { NavLink, Route, Routes } from 'react-router-dom';
import { AuthGate } from './auth/auth-gate.js';
import { ConnectionBadge } from './components/connection-badge.js';
import { JobLookup } from './components/job-lookup.js';
import { AlertsPage } from './pages/alerts-page.js';
import { AuditPage } from './pages/audit-page.js';
import { FailedJobsPage } from './pages/failed-jobs-page.js';
import { JobPage } from './pages/job-page.js';
import { LabPage } from './pages/lab-page.js';
import { NotFoundPage } from './pages/not-found-page.js';
import { OverviewPage } from './pages/overview-page.js';
import { QueuePage } from './pages/queue-page.js';

const links = [
  { to: '/', label: 'Overview', id: 'overview' },
  { to: '/failed', label: 'Failed jobs', id: 'failed' },
  { to: '/alerts', label: 'Alerts', id: 'alerts' },
  { to: '/audit', label: 'Audit', id: 'audit' },
  { to: '/lab', label: 'Lab', id: 'lab' },
] as const;

/**
 * The dashboard: top bar, token form when needed, and the page of the URL. On a narrow screen the
 * links and the job box fold behind a "Menu" button, so the bar stays one row.
 */
export function App() {
  const [menuOpen, setMenuOpen] = useState(false);
  const close = () => {
    setMenuOpen(false);
  };
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className={menuOpen ? 'topbar topbar--open' : 'topbar'}>
        <NavLink to="/" className="brand" onClick={close}>
          <span className="brand__mark" aria-hidden="true">
            ◉
          </span>
          Queuewatch
        </NavLink>
        <span className="topbar__status">
          <ConnectionBadge />
        </span>
        <button
          type="button"
          className="button button--secondary menu-toggle"
          aria-expanded={menuOpen}
          aria-controls="topbar-menu"
          onClick={() => {
            setMenuOpen(!menuOpen);
          }}
          data-testid="menu-toggle"
        >
          Menu
        </button>
        <div className="topbar__menu" id="topbar-menu">
          <nav aria-label="Main" className="nav">
            <ul>
              {links.map((link) => (
                <li key={link.id}>
                  <NavLink
                    to={link.to}
                    end={link.to === '/'}
                    onClick={close}
                    data-testid={`nav-${link.id}`}
                  >
                    {link.label}
                  </NavLink>
                </li>
              ))}
            </ul>
          </nav>
          <JobLookup onDone={close} />
        </div>
      </header>
      <AuthGate />
      <main id="main" className="main" tabIndex={-1}>
        <Routes>
          <Route path="/" element={<OverviewPage />} />
          <Route path="/queues/:name" element={<QueuePage />} />
          <Route path="/queues/:name/jobs/:id" element={<JobPage />} />
          <Route path="/failed" element={<FailedJobsPage />} />
          <Route path="/alerts" element={<AlertsPage />} />
          <Route path="/audit" element={<AuditPage />} />
          <Route path="/lab" element={<LabPage />} />
          <Route path="*" element={<NotFoundPage />} />
        </Routes>
      </main>
    </div>
  );
}
