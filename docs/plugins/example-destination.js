// An example Queuewatch alert destination plugin: a generic chat webhook (Microsoft Teams
// workflows, Mattermost, Rocket.Chat, Google Chat and others accept a JSON `{ "text": ... }`).
//
// Configure it with:
//   { "name": "team-chat", "type": "module", "module": "./plugins/example-destination.js",
//     "options": { "url": "https://chat.example.com/hooks/<token>", "timeoutMs": 5000 } }
//
// The contract (docs/plugins.md): classify the outcome of one try and return it. Never retry,
// never sleep, never throw for an expected failure, never put a secret in a reason or a log line.

/* global AbortSignal, URL -- Node's globals, named for the linter. */

/**
 * @typedef {{ outcome: 'delivered' }
 *   | { outcome: 'failed', retryable: boolean, reason: string, retryAfterMs?: number }} DeliveryResult
 */

/**
 * The factory Queuewatch calls once, at start-up. Throwing here is right: a wrong option should
 * stop Queuewatch with a message that says what to fix.
 *
 * @param {unknown} options the `options` object of the config entry
 * @param {{ logger: { debug: Function, info: Function, warn: Function, error: Function },
 *   fetch: typeof fetch }} deps
 */
export function createDestination(options, { logger, fetch }) {
  const { url, timeoutMs } = readOptions(options);
  // The path and query of a chat webhook are its credential: keep them out of every message.
  const secrets = [url.href, `${url.pathname}${url.search}`, url.pathname, url.search].filter(
    (secret) => secret.length >= 4,
  );
  const redact = (text) =>
    secrets.reduce((out, secret) => out.split(secret).join('[redacted]'), text);

  return {
    /**
     * @param {{ status: string, severity: string, title: string, message: string,
     *   context: { queueName: string } }} alert
     * @param {{ id: string, attempt: number }} attempt
     * @returns {Promise<DeliveryResult>}
     */
    async send(alert, attempt) {
      const label = alert.status === 'resolved' ? 'RESOLVED' : alert.severity.toUpperCase();
      const text = `[${label}] ${alert.title}: ${alert.message} (queue ${alert.context.queueName})`;
      const result = await post(fetch, url, { text }, timeoutMs, redact);
      logger.debug('chat webhook answered', { attempt: attempt.attempt, ...result });
      return result;
    },
  };
}

function readOptions(options) {
  if (typeof options !== 'object' || options === null) throw new Error('options must be an object');
  const {
    url: text,
    timeoutMs = 5000,
    ...unknown
  } = /** @type {Record<string, unknown>} */ (options);
  const extra = Object.keys(unknown);
  if (extra.length > 0) throw new Error(`unknown option(s): ${extra.join(', ')}`);
  if (typeof text !== 'string' || !URL.canParse(text))
    throw new Error('url must be an absolute URL');
  const url = new URL(text);
  const local = url.protocol === 'http:' && ['localhost', '127.0.0.1'].includes(url.hostname);
  if (url.protocol !== 'https:' && !local)
    throw new Error('url must be https (http only for localhost or 127.0.0.1)');
  if (!Number.isInteger(timeoutMs) || timeoutMs < 100 || timeoutMs > 60000)
    throw new Error('timeoutMs must be an integer from 100 to 60000');
  return { url, timeoutMs };
}

/** One POST, classified; every reason passes through `redact`. Never throws. */
async function post(fetch, url, body, timeoutMs, redact) {
  let response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    return {
      outcome: 'failed',
      retryable: true,
      reason: redact(networkReason(error, url, timeoutMs)),
    };
  }
  const { status } = response;
  // Redact before cutting, so that a secret straddling the cut cannot leave its first half behind.
  const answer = redact((await response.text().catch(() => '')).replace(/\s+/g, ' ').trim());
  const detail = answer.slice(0, 200);
  const reason = `HTTP ${status} from ${url.origin}${detail ? `: ${detail}` : ''}`;
  if (status >= 200 && status < 300) return { outcome: 'delivered' };
  if (status >= 300 && status < 400)
    return {
      outcome: 'failed',
      retryable: false,
      reason: `${reason} (redirects are not followed)`,
    };
  if (status === 408 || status === 429 || status >= 500) {
    const wait = retryAfterMs(response.headers.get('retry-after'));
    return wait === undefined
      ? { outcome: 'failed', retryable: true, reason }
      : { outcome: 'failed', retryable: true, reason, retryAfterMs: wait };
  }
  return { outcome: 'failed', retryable: false, reason };
}

function networkReason(error, url, timeoutMs) {
  if (error?.name === 'TimeoutError') return `no answer from ${url.origin} within ${timeoutMs} ms`;
  const code = error?.cause?.code ?? error?.cause?.message ?? String(error);
  return `network error reaching ${url.origin}: ${code}`;
}

/** Retry-After is delay-seconds or an HTTP date. */
function retryAfterMs(header) {
  if (header === null) return undefined;
  if (/^\s*\d+\s*$/.test(header)) return Number(header) * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
