import type { MatcherBody, SilenceBody } from '../../../src/application/contract/index.js';
import { expireSilence } from '../api/alerts-api.js';
import { ActionButton } from '../components/action-button.js';
import { StatusPill, type Tone } from '../components/status-pill.js';
import { Table } from '../components/table.js';
import { formatTime } from '../format/format.js';

const statusTones: Readonly<Record<SilenceBody['status'], Tone>> = {
  active: 'info',
  pending: 'neutral',
  expired: 'ok',
};

/** `queue="payments"`: a matcher as people write it. */
export function describeMatcher(matcher: MatcherBody): string {
  return `${matcher.label}${matcher.op}${JSON.stringify(matcher.value)}`;
}

/**
 * The silences, active and pending first: what each matches, when it ends, why and by whom. Those
 * who may silence can expire one that has not ended, after a confirmation.
 */
export function SilenceList(props: {
  silences: readonly SilenceBody[];
  mayExpire: boolean;
  onExpired: () => void;
}) {
  const headers = ['Status', 'Matchers', 'Starts', 'Ends', 'Comment', 'Created by'];
  return (
    <Table
      caption="Silences, active and pending first"
      headers={props.mayExpire ? [...headers, 'Actions'] : headers}
      testId="silence-table"
    >
      {props.silences.map((silence) => {
        const matchers = silence.matchers.map(describeMatcher).join(', ');
        return (
          <tr
            key={silence.id}
            data-testid="silence-row"
            data-silence-id={silence.id}
            data-status={silence.status}
          >
            <td>
              <StatusPill
                tone={statusTones[silence.status]}
                label={silence.status}
                testId="silence-status"
              />
            </td>
            <td>
              <ul className="matchers">
                {silence.matchers.map((matcher) => (
                  <li key={describeMatcher(matcher)}>
                    <code>{describeMatcher(matcher)}</code>
                  </li>
                ))}
              </ul>
            </td>
            <td className="nowrap">{formatTime(silence.startsAt)}</td>
            <td className="nowrap">{formatTime(silence.endsAt)}</td>
            <td>{silence.comment}</td>
            <td>{silence.createdBy}</td>
            {props.mayExpire && (
              <td>
                {silence.status !== 'expired' && (
                  <ActionButton
                    label="Expire"
                    variant="danger"
                    testId="expire-silence"
                    run={async () => {
                      await expireSilence(silence.id);
                      props.onExpired();
                      return 'Expired';
                    }}
                    confirm={{
                      title: 'Expire this silence now?',
                      text: `Alerts matching ${matchers} are notified again from now on.`,
                      confirmLabel: 'Expire',
                    }}
                  />
                )}
              </td>
            )}
          </tr>
        );
      })}
    </Table>
  );
}
