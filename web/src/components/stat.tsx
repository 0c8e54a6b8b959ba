import type { ReactNode } from 'react';

/** A list of figures (a description list, so each value is read with its label). */
export function StatGrid(props: { children: ReactNode; compact?: boolean }) {
  return <dl className={props.compact ? 'stats stats--compact' : 'stats'}>{props.children}</dl>;
}

/** One labelled figure inside a StatGrid. */
export function Stat(props: {
  label: string;
  value: ReactNode;
  hint?: string | undefined;
  testId?: string | undefined;
  /** Words or a date rather than a figure: drawn smaller so they do not wrap into a column. */
  text?: boolean;
}) {
  return (
    <div className={props.text ? 'stat stat--text' : 'stat'} title={props.hint}>
      <dt className="stat__label">{props.label}</dt>
      <dd className="stat__value" data-testid={props.testId}>
        {props.value}
      </dd>
    </div>
  );
}
