import type { ReactNode } from 'react';

/** Nothing to show, and why (or what to do about it). */
export function EmptyState(props: {
  title: string;
  children?: ReactNode;
  testId?: string | undefined;
}) {
  return (
    <div className="empty" data-testid={props.testId}>
      <span className="empty__mark" aria-hidden="true">
        ○
      </span>
      <p className="empty__title">{props.title}</p>
      {props.children && <div className="empty__hint">{props.children}</div>}
    </div>
  );
}

/** Data on its way. */
export function Loading(props: { what: string }) {
  return (
    <p className="loading" role="status">
      <span className="loading__dot" aria-hidden="true" />
      Loading {props.what}…
    </p>
  );
}
