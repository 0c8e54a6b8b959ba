import { useState } from 'react';
import type { JsonText } from '../../../src/application/contract/index.js';
import { Button } from './button.js';

/** The JSON pretty-printed when it parses, else the text as it is. */
function shown(json: JsonText): { text: string; raw: boolean } {
  if (json.truncated) return { text: json.text, raw: true };
  try {
    return { text: JSON.stringify(JSON.parse(json.text), null, 2), raw: false };
  } catch {
    return { text: json.text, raw: true };
  }
}

/**
 * A job's JSON (data, options, return value), collapsible, with a copy button. Text that is cut
 * or is not JSON is shown as it is, and says so.
 */
export function JsonView(props: {
  label: string;
  json: JsonText;
  open?: boolean;
  testId?: string;
}) {
  const { text, raw } = shown(props.json);
  const [copied, setCopied] = useState<string | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(props.json.text);
      setCopied('Copied');
    } catch {
      setCopied('Cannot copy here: select the text instead');
    }
  };
  return (
    <details className="json" open={props.open ?? true} data-testid={props.testId}>
      <summary className="json__summary">
        {props.label} <span className="muted">({formatBytes(props.json.bytes)})</span>
      </summary>
      {props.json.truncated && (
        <p className="hint" data-testid="json-truncated">
          Cut: the first {formatBytes(props.json.text.length)} of {formatBytes(props.json.bytes)},
          shown raw.
        </p>
      )}
      {!props.json.truncated && raw && <p className="hint">Not JSON: shown as it is.</p>}
      <div className="json__tools">
        <Button variant="ghost" onClick={() => void copy()} aria-label={`Copy ${props.label}`}>
          Copy
        </Button>
        {copied && (
          <span role="status" className="muted">
            {copied}
          </span>
        )}
      </div>
      <pre className="code-block" tabIndex={0} role="region" aria-label={props.label}>
        {text}
      </pre>
    </details>
  );
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${String(bytes)} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
