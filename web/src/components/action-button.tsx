import { useState, type ReactNode } from 'react';
import { Button } from './button.js';
import { ConfirmDialog } from './confirm-dialog.js';

/** What to ask before a destructive action. */
export interface Confirmation {
  readonly title: string;
  readonly text: ReactNode;
  readonly confirmLabel: string;
}

/**
 * A button that calls the API: asks first when `confirm` is given, is busy while the call runs,
 * then says what happened, or the server's refusal in its own words (403, 409…).
 */
export function ActionButton(props: {
  label: string;
  /** Runs the action; answers what to tell the user. */
  run: () => Promise<string>;
  confirm?: Confirmation | undefined;
  variant?: 'primary' | 'secondary' | 'danger';
  testId?: string;
}) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  const go = async () => {
    setBusy(true);
    setResult(null);
    try {
      setResult({ ok: true, text: await props.run() });
    } catch (error) {
      setResult({ ok: false, text: error instanceof Error ? error.message : String(error) });
    } finally {
      setBusy(false);
      setAsking(false);
    }
  };
  return (
    <span className="action">
      <Button
        variant={props.variant ?? 'secondary'}
        busy={busy && !asking}
        onClick={() => {
          if (props.confirm) setAsking(true);
          else void go();
        }}
        data-testid={props.testId}
      >
        {props.label}
      </Button>
      {asking && props.confirm && (
        <ConfirmDialog
          title={props.confirm.title}
          confirmLabel={props.confirm.confirmLabel}
          busy={busy}
          onConfirm={() => void go()}
          onCancel={() => {
            setAsking(false);
          }}
        >
          {props.confirm.text}
        </ConfirmDialog>
      )}
      {result && (
        <span
          className={result.ok ? 'action__result' : 'action__result action__result--error'}
          role={result.ok ? 'status' : 'alert'}
          data-testid={props.testId ? `${props.testId}-result` : undefined}
        >
          {result.text}
        </span>
      )}
    </span>
  );
}
