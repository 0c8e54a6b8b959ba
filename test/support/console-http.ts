import { expect } from 'chai';

/** A GET's status and JSON body (`unknown` when not JSON). */
export interface JsonAnswer<T> {
  readonly status: number;
  readonly body: T;
  readonly contentType: string | null;
}

/** GET `path` of a running Queuewatch (with `token` as a bearer token) and read its JSON answer. */
export async function getJson<T = unknown>(
  baseUrl: string,
  path: string,
  token?: string,
): Promise<JsonAnswer<T>> {
  const response = await fetch(
    `${baseUrl}${path}`,
    token === undefined ? {} : { headers: { authorization: `Bearer ${token}` } },
  );
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text) as unknown;
  } catch {
    // Not JSON: the text is the body.
  }
  return {
    status: response.status,
    body: body as T,
    contentType: response.headers.get('content-type'),
  };
}

/** Expect a JSON error answer with this status and code; its message is returned. */
export async function expectError(
  baseUrl: string,
  path: string,
  status: number,
  code: string,
): Promise<string> {
  const answer = await getJson<{ error?: { code?: string; message?: string } }>(baseUrl, path);
  expect(answer.status, `${path}: ${JSON.stringify(answer.body)}`).to.equal(status);
  expect(answer.body.error?.code, path).to.equal(code);
  return answer.body.error?.message ?? '';
}
