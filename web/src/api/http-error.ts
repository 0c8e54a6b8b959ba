/** A failed API call: the HTTP status and the server's `{ error: { code, message } }`. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** Read the error of a failed response, whatever its body holds. */
export async function errorOf(response: Response, url: string): Promise<HttpError> {
  return errorFromBody(response.status, await response.text().catch(() => ''), url);
}

/** The error a failed response's body says, or its status when the body says nothing usable. */
export function errorFromBody(status: number, text: string, url: string): HttpError {
  try {
    const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } } | null;
    const { code, message } = body?.error ?? {};
    if (typeof code === 'string' && typeof message === 'string') {
      return new HttpError(status, code, message);
    }
  } catch {
    // Not JSON (a proxy's error page, say): fall through to the status line.
  }
  return new HttpError(status, 'HTTP_ERROR', `${url}: HTTP ${String(status)}`);
}
