/** One answer of the fake API: a status and a JSON body, or (`html`) a page as a proxy sends. */
export type FakeAnswer =
  | { readonly status: number; readonly body: unknown }
  | { readonly status: number; readonly html: string };

/** A request the fake API received. */
export interface FakeRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: Record<string, string>;
  readonly body: unknown;
}

/**
 * Replaces `fetch` with a function that answers from `answer(url)`, and records every request.
 * Returns the record and a function that puts the real `fetch` back.
 */
export function fakeFetch(answer: (request: FakeRequest) => FakeAnswer): {
  requests: FakeRequest[];
  restore: () => void;
} {
  const original = globalThis.fetch;
  const requests: FakeRequest[] = [];
  globalThis.fetch = (input: string | URL | Request, init?: RequestInit) => {
    const request: FakeRequest = {
      url: typeof input === 'string' ? input : input instanceof URL ? input.href : input.url,
      method: init?.method ?? 'GET',
      headers: { ...(init?.headers as Record<string, string> | undefined) },
      body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined,
    };
    requests.push(request);
    const given = answer(request);
    return Promise.resolve(
      'html' in given
        ? new Response(given.html, {
            status: given.status,
            headers: { 'content-type': 'text/html' },
          })
        : new Response(JSON.stringify(given.body), {
            status: given.status,
            headers: { 'content-type': 'application/json' },
          }),
    );
  };
  return {
    requests,
    restore: () => {
      globalThis.fetch = original;
    },
  };
}
