import type { MatcherBody } from '../../../src/application/contract/index.js';
import { useSilences } from '../api/alerts-api.js';
import { Card } from '../components/card.js';
import { EmptyState, Loading } from '../components/empty-state.js';
import { ErrorNotice } from '../components/error-notice.js';
import { SilenceForm } from './silence-form.js';
import { SilenceList } from './silence-list.js';

/** What the silence form starts from; a new `version` starts it afresh. */
export interface SilenceDraft {
  readonly version: number;
  readonly matchers: readonly MatcherBody[];
}

/**
 * The "Silences" card: every silence, and for those who may silence, the form that creates one
 * (filled from a firing alert by its "Silence…" button, which then focuses, and so scrolls to, its
 * comment) and the buttons that expire them.
 */
export function SilencePanel(props: {
  maySilence: boolean;
  draft: SilenceDraft;
  onChanged: () => void;
}) {
  const { data, error, mutate } = useSilences();
  const changed = () => {
    void mutate();
    props.onChanged();
  };
  return (
    <Card title="Silences" testId="silences">
      <p className="muted">
        While a silence is active, the alerts it matches are recorded here but sent nowhere.
      </p>
      {error && (
        <ErrorNotice title="Cannot read the silences" error={error} onRetry={() => void mutate()} />
      )}
      {!data && !error && <Loading what="silences" />}
      {data &&
        (data.silences.length === 0 ? (
          <EmptyState title="No silence" testId="no-silences">
            Nothing is silenced: every alert goes to its destinations.
          </EmptyState>
        ) : (
          <SilenceList silences={data.silences} mayExpire={props.maySilence} onExpired={changed} />
        ))}
      {props.maySilence && (
        <div className="silence-new">
          <h3>New silence</h3>
          <SilenceForm
            key={props.draft.version}
            initial={props.draft.matchers}
            onCreated={changed}
          />
        </div>
      )}
    </Card>
  );
}
