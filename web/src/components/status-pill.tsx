/** What a status means, which sets its colour and its shape. */
export type Tone = 'ok' | 'warn' | 'bad' | 'info' | 'neutral';

// The shape carries the meaning for readers who cannot tell the colours apart.
const shapes: Record<Tone, string> = { ok: '●', warn: '▲', bad: '■', info: '◆', neutral: '○' };

/** A status as colour, shape and words: `● healthy`, `▲ degraded`, `■ unhealthy`. */
export function StatusPill(props: {
  tone: Tone;
  label: string;
  title?: string | undefined;
  testId?: string | undefined;
}) {
  return (
    <span
      className={`pill pill--${props.tone}`}
      title={props.title}
      data-testid={props.testId}
      data-tone={props.tone}
    >
      <span className="pill__shape" aria-hidden="true">
        {shapes[props.tone]}
      </span>
      {props.label}
    </span>
  );
}
