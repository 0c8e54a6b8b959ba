import { errorFromBody, errorOf, HttpError } from './http-error.js';
import { tokenStore, type TokenStore } from './token-store.js';

/** How to call the API. */
export interface RequestOptions {
  readonly method?: 'GET' | 'POST' | 'DELETE';
  /** Sent as JSON. */
  readonly body?: unknown;
  /**
   * A status besides 2xx whose body is the answer all the same when `is` recognises it (the health
   * report comes with 503). That status with any other body is an error like the others.
   */
  readonly accept?: { readonly status: number; readonly is: (body: unknown) => boolean };
  readonly tokens?: TokenStore;
}

/**
 * Call the API with the token, and answer its JSON. A 401 asks the user for a token (once) and
 * fails; any other error becomes an HttpError with the server's code and message, except an
 * accepted status whose body is the answer.
 */
export async function requestJson<T>(url: string, options: RequestOptions = {}): Promise<T> {
  const tokens = options.tokens ?? tokenStore;
  const headers: Record<string, string> = { accept: 'application/json' };
  if (tokens.token !== null) headers.authorization = `Bearer ${tokens.token}`;
  const method = options.method ?? 'GET';
  const init: RequestInit = { method, headers };
  // Queuewatch answers a POST only with this type (415 otherwise), body or not: a page of another
  // origin cannot send it without a CORS preflight, which Queuewatch never grants.
  if (method !== 'GET') headers['content-type'] = 'application/json';
  if (options.body !== undefined) init.body = JSON.stringify(options.body);
  let response: Response;
  try {
    response = await fetch(url, init);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new HttpError(0, 'NETWORK_ERROR', `cannot reach Queuewatch (${reason})`);
  }
  if (response.status === 401) {
    const error = await errorOf(response, url);
    tokens.require(error.message);
    throw error;
  }
  if (!response.ok) {
    if (options.accept?.status !== response.status) throw await errorOf(response, url);
    const text = await response.text().catch(() => '');
    const body = parsedOrUndefined(text);
    if (options.accept.is(body)) return body as T;
    throw errorFromBody(response.status, text, url);
  }
  return (await response.json()) as T;
}

function parsedOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** SWR's fetcher: GET a URL. */
export const getJson = <T>(url: string): Promise<T> => requestJson<T>(url);
