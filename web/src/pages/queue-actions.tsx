import { useState } from 'react';
import type { OperationBody } from '../../../src/application/contract/index.js';
import { apiPaths } from '../api/api-paths.js';
import { useMay } from '../api/console-api.js';
import type { DrainBody, QueuePauseBody } from '../../../src/application/contract/index.js';
import { requestJson } from '../api/request-json.js';
import { ActionButton } from '../components/action-button.js';
import { Card } from '../components/card.js';
import { useOperations } from '../hooks/use-operations.js';
import { formatCount } from '../format/format.js';
import { OperationList } from './operation-list.js';

const cleanable = ['completed', 'failed', 'delayed', 'waiting', 'paused', 'prioritized'] as const;

/**
 * What an operator can do to the whole queue, each button shown only when the token may: retry
 * all failed (optionally by name or reason), promote all delayed, pause or resume, clean a state,
 * drain. Bulk ones run on the server in chunks; their progress is pushed here and can be cancelled.
 */
export function QueueActions(props: {
  queueName: string;
  paused: boolean | null;
  onChanged: () => void;
}) {
  const may = useMay();
  const { operations, track, cancel } = useOperations(props.queueName);
  const [name, setName] = useState('');
  const [reason, setReason] = useState('');
  const [cleanState, setCleanState] = useState<(typeof cleanable)[number]>('completed');
  const [graceMinutes, setGraceMinutes] = useState('60');
  const [drainDelayed, setDrainDelayed] = useState(false);
  const queue = props.queueName;

  const startBulk = async (
    action: 'retry-all' | 'promote-all' | 'clean',
    body?: unknown,
  ): Promise<string> => {
    const operation = await requestJson<OperationBody>(apiPaths.queueAction(queue, action), {
      method: 'POST',
      body: body ?? {},
    });
    track(operation);
    props.onChanged();
    return `${action} started`;
  };
  const setPaused = async (action: 'pause' | 'resume'): Promise<string> => {
    const answer = await requestJson<QueuePauseBody>(apiPaths.queueAction(queue, action), {
      method: 'POST',
    });
    props.onChanged();
    return answer.paused ? 'The queue is paused' : 'The queue runs';
  };
  const any = ['retry-all', 'promote-all', 'clean', 'pause', 'resume', 'drain'].some((action) =>
    may(action as Parameters<typeof may>[0]),
  );
  if (!any && operations.length === 0) return null;
  const grace = Math.max(0, Number(graceMinutes) || 0) * 60_000;
  const filter = { ...(name ? { name } : {}), ...(reason ? { reason } : {}) };
  return (
    <Card title="Queue actions" testId="queue-actions">
      {may('retry-all') && (
        <fieldset className="action-group">
          <legend>Retry every failed job</legend>
          <label className="toolbar__field">
            Only jobs named exactly (optional)
            <input
              value={name}
              onChange={(event) => {
                setName(event.target.value);
              }}
              data-testid="retry-all-name"
            />
          </label>
          <label className="toolbar__field">
            Only failed with reason containing (optional)
            <input
              value={reason}
              onChange={(event) => {
                setReason(event.target.value);
              }}
              data-testid="retry-all-reason"
            />
          </label>
          <ActionButton
            label="Retry all failed"
            testId="retry-all"
            run={() => startBulk('retry-all', filter)}
            confirm={{
              title: `Retry the failed jobs of ${queue}?`,
              text: `Every failed job${name ? ` named "${name}"` : ''}${reason ? ` whose reason contains "${reason}"` : ''} goes back to waiting.`,
              confirmLabel: 'Retry them',
            }}
          />
        </fieldset>
      )}
      <div className="toolbar">
        {may('promote-all') && (
          <ActionButton
            label="Promote all delayed"
            testId="promote-all"
            run={() => startBulk('promote-all')}
          />
        )}
        {props.paused !== true && may('pause') && (
          <ActionButton label="Pause queue" testId="pause" run={() => setPaused('pause')} />
        )}
        {props.paused !== false && may('resume') && (
          <ActionButton label="Resume queue" testId="resume" run={() => setPaused('resume')} />
        )}
      </div>
      {may('clean') && (
        <fieldset className="action-group">
          <legend>Clean old jobs</legend>
          <label className="toolbar__field">
            State
            <select
              value={cleanState}
              onChange={(event) => {
                setCleanState(event.target.value as typeof cleanState);
              }}
              data-testid="clean-state"
            >
              {cleanable.map((state) => (
                <option key={state}>{state}</option>
              ))}
            </select>
          </label>
          <label className="toolbar__field">
            Older than (minutes)
            <input
              type="number"
              min={0}
              value={graceMinutes}
              onChange={(event) => {
                setGraceMinutes(event.target.value);
              }}
              data-testid="clean-grace"
            />
          </label>
          <ActionButton
            label="Clean"
            variant="danger"
            testId="clean"
            run={() => startBulk('clean', { state: cleanState, graceMs: grace })}
            confirm={{
              title: `Remove ${cleanState} jobs of ${queue}?`,
              text: `Every ${cleanState} job older than ${formatCount(grace / 60_000)} minutes is removed for good.`,
              confirmLabel: 'Remove them',
            }}
          />
        </fieldset>
      )}
      {may('drain') && (
        <fieldset className="action-group">
          <legend>Drain</legend>
          <label className="checkbox">
            <input
              type="checkbox"
              checked={drainDelayed}
              onChange={(event) => {
                setDrainDelayed(event.target.checked);
              }}
              data-testid="drain-delayed"
            />
            Delayed jobs too
          </label>
          <ActionButton
            label="Drain waiting jobs"
            variant="danger"
            testId="drain"
            run={async () => {
              const answer = await requestJson<DrainBody>(apiPaths.queueAction(queue, 'drain'), {
                method: 'POST',
                body: { delayed: drainDelayed },
              });
              props.onChanged();
              return `${formatCount(answer.count)} jobs removed`;
            }}
            confirm={{
              title: `Drain ${queue}?`,
              text: `Every waiting${drainDelayed ? ' and delayed' : ''} job is removed for good; active jobs go on.`,
              confirmLabel: 'Drain',
            }}
          />
        </fieldset>
      )}
      <OperationList
        operations={operations}
        cancel={cancel}
        mayCancel={(operation) => may(operation.action)}
      />
    </Card>
  );
}
