import { useId, type ReactNode } from 'react';

/** A titled panel. */
export function Card(props: {
  title: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
  testId?: string | undefined;
  className?: string | undefined;
}) {
  const headingId = useId();
  return (
    <section
      className={props.className ? `card ${props.className}` : 'card'}
      aria-labelledby={headingId}
      data-testid={props.testId}
    >
      <header className="card__header">
        <h2 className="card__title" id={headingId}>
          {props.title}
        </h2>
        {props.actions && <div className="card__actions">{props.actions}</div>}
      </header>
      <div className="card__body">{props.children}</div>
    </section>
  );
}
