import { useEffect, useId, useRef, type KeyboardEvent, type ReactNode } from 'react';
import { Button } from './button.js';

const focusable =
  'button:not([disabled]), [href], input:not([disabled]), select:not([disabled]), textarea, [tabindex]:not([tabindex="-1"])';

/**
 * A modal dialog that asks before something destructive: named by its title, described by its
 * text, focus kept inside (Tab wraps), Escape cancels, and focus goes back where it came from.
 * "Cancel" has the focus first, so a stray Enter destroys nothing.
 */
export function ConfirmDialog(props: {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
  busy?: boolean;
  testId?: string;
}) {
  const titleId = useId();
  const textId = useId();
  const box = useRef<HTMLDivElement>(null);
  const cancel = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    const opener = document.activeElement;
    cancel.current?.focus();
    return () => {
      if (opener instanceof HTMLElement && opener.isConnected) opener.focus();
    };
  }, []);
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      props.onCancel();
      return;
    }
    if (event.key !== 'Tab' || !box.current) return;
    const items = [...box.current.querySelectorAll<HTMLElement>(focusable)];
    const first = items[0];
    const last = items.at(-1);
    if (!first || !last) return;
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  };
  return (
    <div className="dialog-backdrop">
      <div
        ref={box}
        className="dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        aria-describedby={textId}
        onKeyDown={onKeyDown}
        data-testid={props.testId ?? 'confirm-dialog'}
      >
        <h2 className="dialog__title" id={titleId}>
          {props.title}
        </h2>
        <div className="dialog__text" id={textId}>
          {props.children}
        </div>
        <div className="dialog__actions">
          <Button ref={cancel} variant="secondary" onClick={props.onCancel}>
            Cancel
          </Button>
          <Button
            variant="danger"
            busy={props.busy ?? false}
            onClick={props.onConfirm}
            data-testid="confirm-action"
          >
            {props.confirmLabel}
          </Button>
        </div>
      </div>
    </div>
  );
}
