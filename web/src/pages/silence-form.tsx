import { useEffect, useId, useRef, useState, type SubmitEvent } from 'react';
import type { MatcherBody, SilenceBody } from '../../../src/application/contract/index.js';
import { createSilence } from '../api/alerts-api.js';
import { Button } from '../components/button.js';
import { ErrorNotice } from '../components/error-notice.js';
import { formatTime } from '../format/format.js';

type Operator = MatcherBody['op'];

const operators: readonly { readonly op: Operator; readonly says: string }[] = [
  { op: '=', says: '= equals' },
  { op: '!=', says: '!= differs from' },
  { op: '=~', says: '=~ matches the expression' },
  { op: '!~', says: '!~ does not match the expression' },
];

/** How long a new silence lasts: a preset, or until a time chosen in the form. */
const presets = [
  { id: '1h', label: '1 hour', ms: 3_600_000 },
  { id: '4h', label: '4 hours', ms: 4 * 3_600_000 },
  { id: '1d', label: '1 day', ms: 24 * 3_600_000 },
] as const;

type Duration = (typeof presets)[number]['id'] | 'until';

/** A row of the matchers editor; `key` keeps React's rows apart while rows come and go. */
interface MatcherRow extends MatcherBody {
  readonly key: number;
}

let nextKey = 0;
const rowOf = (matcher: MatcherBody): MatcherRow => ({ ...matcher, key: (nextKey += 1) });
const emptyRow = (): MatcherRow => rowOf({ label: '', op: '=', value: '' });

/**
 * The form that creates a silence: matchers (label, operator, value; rows added and removed), how
 * long (1 h, 4 h, 1 d, or until a time), and a comment saying why, which is required. The server
 * judges the rest (a matcher that can match nothing, a bad expression, an end before the start)
 * and its reason is shown here in its own words. `initial` fills the matchers (from a firing
 * alert's "Silence…"), and then the comment has the focus.
 */
export function SilenceForm(props: {
  initial: readonly MatcherBody[];
  onCreated: (silence: SilenceBody) => void;
  now?: () => number;
}) {
  const id = useId();
  const commentField = useRef<HTMLTextAreaElement>(null);
  const [rows, setRows] = useState<MatcherRow[]>(() =>
    props.initial.length > 0 ? props.initial.map(rowOf) : [emptyRow()],
  );
  const [duration, setDuration] = useState<Duration>('1h');
  const [until, setUntil] = useState('');
  const [comment, setComment] = useState('');
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<Error | string | null>(null);
  const [created, setCreated] = useState<SilenceBody | null>(null);
  const prefilled = props.initial.length > 0;

  useEffect(() => {
    if (prefilled) commentField.current?.focus();
  }, [prefilled]);

  const change = (key: number, patch: Partial<MatcherBody>) => {
    setRows((current) => current.map((row) => (row.key === key ? { ...row, ...patch } : row)));
  };

  /** The end as ISO-8601, or what is wrong with the chosen time. */
  const endOf = (): { endsAt: string } | { problem: string } => {
    const now = (props.now ?? Date.now)();
    const preset = presets.find((item) => item.id === duration);
    if (preset) return { endsAt: new Date(now + preset.ms).toISOString() };
    const at = new Date(until);
    if (until === '' || Number.isNaN(at.getTime())) return { problem: 'Choose when it ends.' };
    return { endsAt: at.toISOString() };
  };

  const submit = async (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    setCreated(null);
    const matchers = rows
      .filter((row) => row.label.trim() !== '' || row.value !== '')
      .map(({ label, op, value }) => ({ label: label.trim(), op, value }));
    if (matchers.length === 0) {
      setError('Add a matcher: which alerts does it silence?');
      return;
    }
    if (comment.trim() === '') {
      setError('Say why in the comment.');
      return;
    }
    const end = endOf();
    if ('problem' in end) {
      setError(end.problem);
      return;
    }
    setSending(true);
    setError(null);
    try {
      const silence = await createSilence({
        matchers,
        endsAt: end.endsAt,
        comment: comment.trim(),
      });
      setCreated(silence);
      setRows([emptyRow()]);
      setComment('');
      props.onCreated(silence);
    } catch (caught) {
      setError(caught instanceof Error ? caught : String(caught));
    } finally {
      setSending(false);
    }
  };

  return (
    <form
      className="silence-form"
      onSubmit={(event) => void submit(event)}
      noValidate
      aria-label="New silence"
      data-testid="silence-form"
    >
      <fieldset className="action-group silence-form__matchers">
        <legend>Alerts whose labels match all of</legend>
        {rows.map((row, index) => {
          const n = String(index + 1);
          return (
            <div className="matcher-row" key={row.key} data-testid="matcher-row">
              <input
                aria-label={`Label of matcher ${n}`}
                placeholder="queue"
                value={row.label}
                onChange={(event) => {
                  change(row.key, { label: event.target.value });
                }}
                data-testid="matcher-label"
              />
              <select
                aria-label={`Operator of matcher ${n}`}
                value={row.op}
                onChange={(event) => {
                  change(row.key, { op: event.target.value as Operator });
                }}
                data-testid="matcher-op"
              >
                {operators.map((item) => (
                  <option key={item.op} value={item.op}>
                    {item.says}
                  </option>
                ))}
              </select>
              <input
                aria-label={`Value of matcher ${n}`}
                placeholder="payments"
                value={row.value}
                onChange={(event) => {
                  change(row.key, { value: event.target.value });
                }}
                data-testid="matcher-value"
              />
              <Button
                variant="ghost"
                disabled={rows.length === 1}
                onClick={() => {
                  setRows((current) => current.filter((item) => item.key !== row.key));
                }}
                aria-label={`Remove matcher ${n}`}
                data-testid="matcher-remove"
              >
                Remove
              </Button>
            </div>
          );
        })}
        <Button
          variant="secondary"
          onClick={() => {
            setRows((current) => [...current, emptyRow()]);
          }}
          data-testid="matcher-add"
        >
          Add matcher
        </Button>
      </fieldset>
      <fieldset className="action-group">
        <legend>Ends</legend>
        {presets.map((preset) => (
          <label className="checkbox" key={preset.id}>
            <input
              type="radio"
              name={`${id}-duration`}
              checked={duration === preset.id}
              onChange={() => {
                setDuration(preset.id);
              }}
              data-testid={`silence-for-${preset.id}`}
            />
            in {preset.label}
          </label>
        ))}
        <label className="checkbox">
          <input
            type="radio"
            name={`${id}-duration`}
            checked={duration === 'until'}
            onChange={() => {
              setDuration('until');
            }}
            data-testid="silence-until-choice"
          />
          at
        </label>
        <input
          type="datetime-local"
          aria-label="End time"
          value={until}
          onChange={(event) => {
            setUntil(event.target.value);
            setDuration('until');
          }}
          data-testid="silence-until"
        />
      </fieldset>
      <div className="form__field">
        <label htmlFor={`${id}-comment`}>Comment (required)</label>
        <textarea
          id={`${id}-comment`}
          ref={commentField}
          rows={2}
          required
          placeholder="Why, and until what: “payments provider outage, INC-123”"
          value={comment}
          onChange={(event) => {
            setComment(event.target.value);
          }}
          data-testid="silence-comment"
        />
      </div>
      {error && (
        <ErrorNotice title="The silence was not created" error={error} testId="silence-error" />
      )}
      <div className="toolbar">
        <Button type="submit" busy={sending} data-testid="silence-submit">
          {sending ? 'Creating…' : 'Create silence'}
        </Button>
        {created && (
          <span className="action__result" role="status" data-testid="silence-created">
            Silence created, until {formatTime(created.endsAt)}.
          </span>
        )}
      </div>
    </form>
  );
}
