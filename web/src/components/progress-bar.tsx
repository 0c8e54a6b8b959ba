import type { Tone } from './status-pill.js';

/** A progress bar; `null` is a job whose progress is not a percentage (shown as moving). */
export function ProgressBar(props: {
  value: number | null;
  label: string;
  tone?: Tone;
  testId?: string | undefined;
}) {
  const { value } = props;
  return (
    <div
      className={`progress progress--${props.tone ?? 'info'}${value === null ? ' progress--unknown' : ''}`}
      role="progressbar"
      aria-label={props.label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={value ?? undefined}
      aria-valuetext={value === null ? 'in progress' : `${String(Math.round(value))} %`}
      data-testid={props.testId}
      data-value={value ?? ''}
    >
      <div className="progress__fill" style={{ width: `${String(value ?? 100)}%` }} />
    </div>
  );
}
