/** One answer of the fake API: a status and a JSON body. */
export interface FakeAnswer {
  readonly status: number;
  readonly body: unknown;
}

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
    const { status, body } = answer(request);
    return Promise.resolve(
      new Response(JSON.stringify(body), {
        status,
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
