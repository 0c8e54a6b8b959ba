import { Button } from './button.js';

/** An error in place of what failed to load, with the server's words and a way to retry. */
export function ErrorNotice(props: {
  title: string;
  error: Error | string;
  onRetry?: (() => void) | undefined;
  testId?: string | undefined;
}) {
  const message = typeof props.error === 'string' ? props.error : props.error.message;
  return (
    <div className="notice notice--error" role="alert" data-testid={props.testId}>
      <span className="notice__mark" aria-hidden="true">
        ■
      </span>
      <div className="notice__text">
        <strong>{props.title}</strong>
        <span>{message}</span>
      </div>
      {props.onRetry && (
        <Button variant="secondary" onClick={props.onRetry}>
          Retry
        </Button>
      )}
    </div>
  );
}
