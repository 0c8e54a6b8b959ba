import type { OperationBody } from '../../../src/application/contract/index.js';
import { ActionButton } from '../components/action-button.js';
import { ProgressBar } from '../components/progress-bar.js';
import { formatCount } from '../format/format.js';

const tones = { running: 'info', done: 'ok', cancelled: 'warn', failed: 'bad' } as const;

/** Bulk operations with their progress, and a "Cancel" button while they run. */
export function OperationList(props: {
  operations: readonly OperationBody[];
  cancel: (id: string) => Promise<void>;
  mayCancel: (operation: OperationBody) => boolean;
}) {
  if (props.operations.length === 0) return null;
  return (
    <ul className="operations" aria-label="Bulk operations" data-testid="operations">
      {props.operations.map((operation) => {
        const percent =
          operation.total === null || operation.total === 0
            ? operation.status === 'running'
              ? null
              : 100
            : (operation.done / operation.total) * 100;
        const label = `${operation.action}: ${formatCount(operation.done)}${
          operation.total === null ? '' : ` of ${formatCount(operation.total)}`
        } · ${operation.status}`;
        return (
          <li
            key={operation.id}
            className="operation"
            data-testid="operation"
            data-status={operation.status}
          >
            <span data-testid="operation-label">{label}</span>
            {operation.reason && <span className="muted"> ({operation.reason})</span>}
            <ProgressBar
              value={percent}
              label={`${operation.action} progress`}
              tone={tones[operation.status]}
            />
            {operation.status === 'running' && props.mayCancel(operation) && (
              <ActionButton
                label="Cancel"
                testId="operation-cancel"
                run={async () => {
                  await props.cancel(operation.id);
                  return 'Cancelling…';
                }}
              />
            )}
          </li>
        );
      })}
    </ul>
  );
}
