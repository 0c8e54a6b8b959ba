import { Link } from 'react-router-dom';

/**
 * Where an alert points: a dashboard path opens in the dashboard (under its mount path); a full
 * URL (with `alerts.dashboardUrl` set) is followed as it is.
 */
export function AlertLink(props: { link: string | null; label: string }) {
  if (props.link === null) return <span className="muted">—</span>;
  if (/^https?:\/\//i.test(props.link)) {
    return (
      <a href={props.link} data-testid="alert-link">
        {props.label}
      </a>
    );
  }
  return (
    <Link to={props.link} data-testid="alert-link">
      {props.label}
    </Link>
  );
}
