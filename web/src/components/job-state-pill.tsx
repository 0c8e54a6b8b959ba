import { StatusPill, type Tone } from './status-pill.js';

const tones: Readonly<Record<string, Tone>> = {
  completed: 'ok',
  failed: 'bad',
  active: 'info',
  delayed: 'warn',
  paused: 'warn',
};

/** A job's state as a pill: completed ●, failed ■, active ◆, delayed or paused ▲, others ○. */
export function JobStatePill(props: { state: string; testId?: string }) {
  return (
    <StatusPill tone={tones[props.state] ?? 'neutral'} label={props.state} testId={props.testId} />
  );
}
