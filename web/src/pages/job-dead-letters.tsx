import type { DeadLetterRecord } from '../../../src/application/contract/index.js';
import { apiPaths } from '../api/api-paths.js';
import { useMay } from '../api/console-api.js';
import type { ReenqueueBody } from '../../../src/application/contract/index.js';
import { requestJson } from '../api/request-json.js';
import { ActionButton } from '../components/action-button.js';
import { Card } from '../components/card.js';
import { Table } from '../components/table.js';
import { formatTime } from '../format/format.js';

/** The job's records in the dead-letter queue, each one re-enqueueable into its queue. */
export function JobDeadLetters(props: { records: readonly DeadLetterRecord[] }) {
  const may = useMay();
  if (props.records.length === 0) return null;
  return (
    <Card title="Dead-letter records" testId="job-dead-letters">
      <Table
        caption="Dead-letter records of the job"
        headers={['Failed at', 'Reason', 'Attempts', ...(may('reenqueue') ? ['Action'] : [])]}
      >
        {props.records.map((record) => (
          <tr key={record.id} data-testid="dead-letter-row">
            <td className="nowrap">{formatTime(record.failedAt)}</td>
            <td className="reason">{record.failedReason}</td>
            <td>{record.attemptsMade ?? '—'}</td>
            {may('reenqueue') && (
              <td>
                <ActionButton
                  label="Re-enqueue"
                  testId="reenqueue"
                  run={async () => {
                    const answer = await requestJson<ReenqueueBody>(apiPaths.reenqueue(record.id), {
                      method: 'POST',
                    });
                    return `Added as job ${answer.jobId}`;
                  }}
                />
              </td>
            )}
          </tr>
        ))}
      </Table>
    </Card>
  );
}
