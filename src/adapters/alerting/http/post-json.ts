import type { DeliveryResult } from '../../../application/ports/alert.port.js';
import { redactor } from './redact.js';
import { retryAfterMs } from './retry-after.js';
import { reasonOf } from '../../../domain/wording/reason.js';

/** One JSON POST to an alert endpoint. */
export interface JsonPost {
  readonly url: URL;
  readonly body: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  /** Texts that must not appear in a reason: the URL's path and query, signing keys, header values. */
  readonly secrets: readonly string[];
  /** Now (ms), for a Retry-After given as a date. */
  readonly now: () => number;
}

/** What one POST came to: its classification, and the HTTP status when there was an answer. */
export interface PostOutcome {
  readonly result: DeliveryResult;
  readonly status: number | null;
}

const snippetLength = 200;
const snippetBytes = 4096;

/**
 * POST once and classify the answer the way Standard Webhooks suggests: 2xx delivered; 408, 429
 * and 5xx worth retrying (honouring Retry-After); 3xx and other 4xx permanent. Redirects are not
 * followed, so a moved endpoint is reported rather than silently sent the alert somewhere else.
 * Network failures and timeouts are retryable. Never throws.
 */
export async function postJson(fetcher: typeof fetch, post: JsonPost): Promise<PostOutcome> {
  const redact = redactor(post.secrets);
  const origin = post.url.origin;
  let response: Response;
  try {
    response = await fetcher(post.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...post.headers },
      body: post.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(post.timeoutMs),
    });
  } catch (error) {
    return {
      result: { outcome: 'failed', retryable: true, reason: describe(error, post, redact) },
      status: null,
    };
  }
  const status = response.status;
  if (status >= 200 && status < 300) {
    await discard(response);
    return { result: { outcome: 'delivered' }, status };
  }
  if (status >= 300 && status < 400) {
    await discard(response);
    const reason = `HTTP ${status} from ${origin}: redirects are not followed; configure the final URL`;
    return { result: { outcome: 'failed', retryable: false, reason }, status };
  }
  const detail = cut(redact(await bodyText(response)));
  const reason = `HTTP ${status} from ${origin}${detail === '' ? '' : `: ${detail}`}`;
  const retryable = status === 408 || status === 429 || status >= 500;
  if (!retryable) return { result: { outcome: 'failed', retryable, reason }, status };
  const wait = retryAfterMs(response.headers.get('retry-after'), post.now());
  const result: DeliveryResult =
    wait === undefined
      ? { outcome: 'failed', retryable, reason }
      : { outcome: 'failed', retryable, reason, retryAfterMs: wait };
  return { result, status };
}

/** A network failure in words; only the error's own text can hold a secret, so only it is redacted. */
function describe(error: unknown, post: JsonPost, redact: (text: string) => string): string {
  const origin = post.url.origin;
  if (error instanceof Error && error.name === 'TimeoutError')
    return `no answer from ${origin} within ${String(post.timeoutMs)} ms`;
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const code = errorCode(cause);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return `DNS lookup failed for ${post.url.hostname} (${code})`;
  if (code === 'ECONNREFUSED') return `connection refused by ${origin} (ECONNREFUSED)`;
  const what = code ?? redact(reasonOf(cause));
  return `network error reaching ${origin}: ${what}`;
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'string' ? error.code : undefined;
}

/** The start of the answer's body, on one line: Slack puts its error there (`no_service`). */
async function bodyText(response: Response): Promise<string> {
  const reader = (response.body as ReadableStream<Uint8Array> | null)?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < snippetBytes) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } catch {
    // A body cut short (or timed out) still leaves the status, which is what classifies.
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  const text = Buffer.concat(chunks).subarray(0, snippetBytes).toString('utf8');
  return text.replace(/\s+/g, ' ').trim();
}

/** Cut after redacting, so that a secret straddling the cut cannot leave its first half behind. */
function cut(text: string): string {
  return text.length > snippetLength ? `${text.slice(0, snippetLength - 1)}…` : text;
}

/** Release the connection without reading a body nobody needs. */
async function discard(response: Response): Promise<void> {
  await response.body?.cancel().catch(() => undefined);
}
