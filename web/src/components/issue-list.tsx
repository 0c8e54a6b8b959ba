import type { HealthIssue } from '../../../src/application/contract/index.js';
import { StatusPill } from './status-pill.js';

/** What is wrong, each issue with its severity, measure and threshold. */
export function IssueList(props: { issues: readonly HealthIssue[]; testId?: string | undefined }) {
  if (props.issues.length === 0) return null;
  return (
    <ul className="issues" data-testid={props.testId}>
      {props.issues.map((issue) => (
        <li key={`${issue.source}:${issue.code}`} className="issues__item">
          <StatusPill tone={issue.severity === 'unhealthy' ? 'bad' : 'warn'} label={issue.code} />
          <span>{issue.message}</span>
        </li>
      ))}
    </ul>
  );
}
