import { act, fireEvent, render, screen } from '@testing-library/react';
import { expect } from 'chai';
import { SWRConfig } from 'swr';
import { requestJson } from '../../web/src/api/request-json.js';
import { TokenStore, tokenStorageKey } from '../../web/src/api/token-store.js';
import { AuthGate } from '../../web/src/auth/auth-gate.js';
import { fakeFetch } from './support/fake-fetch.js';
import { nth } from './support/nth.js';

function memoryStorage() {
  const values = new Map<string, string>();
  return {
    values,
    getItem: (key: string) => values.get(key) ?? null,
    setItem: (key: string, value: string) => {
      values.set(key, value);
    },
  };
}

const unauthorized = {
  status: 401,
  body: { error: { code: 'QW_UNAUTHORIZED', message: 'missing bearer token' } },
};

describe('token auth', () => {
  let restore: (() => void) | undefined;
  afterEach(() => {
    restore?.();
  });

  describe('requestJson', () => {
    it('should ask for a token when the API answers 401, and fail with its message', async () => {
      const store = new TokenStore(memoryStorage());
      restore = fakeFetch(() => unauthorized).restore;
      const failure = await requestJson('/api/v1/queues', { tokens: store }).catch(
        (error: unknown) => error,
      );
      expect(failure).to.be.instanceOf(Error);
      expect((failure as Error).message).to.equal('missing bearer token');
      expect(store.getSnapshot()).to.include({ required: true, reason: 'missing bearer token' });
    });

    it('should send the kept token as a bearer token', async () => {
      const storage = memoryStorage();
      storage.setItem(tokenStorageKey, 'kept-token-0123456789');
      const api = fakeFetch(() => ({ status: 200, body: { queues: [] } }));
      restore = api.restore;
      await requestJson('/api/v1/queues', { tokens: new TokenStore(storage) });
      expect(nth(api.requests, 0).headers.authorization).to.equal('Bearer kept-token-0123456789');
    });

    it('should send Content-Type: application/json on a POST, with a body or without', async () => {
      const api = fakeFetch(() => ({ status: 200, body: {} }));
      restore = api.restore;
      const tokens = new TokenStore(null);
      await requestJson('/api/v1/alerts/test', { method: 'POST', tokens });
      await requestJson('/api/v1/queues/lab/jobs', { method: 'POST', body: { name: 'x' }, tokens });
      await requestJson('/api/v1/queues', { tokens });
      expect(api.requests.map((request) => request.headers['content-type'])).to.deep.equal([
        'application/json',
        'application/json',
        undefined,
      ]);
    });

    it('should turn an error body into its code and message', async () => {
      restore = fakeFetch(() => ({
        status: 400,
        body: { error: { code: 'QW_BAD_REQUEST', message: 'name must not be empty' } },
      })).restore;
      const failure = await requestJson('/api/v1/queues/lab/jobs', {
        method: 'POST',
        body: { name: '' },
        tokens: new TokenStore(null),
      }).catch((error: unknown) => error);
      expect(failure).to.include({ status: 400, code: 'QW_BAD_REQUEST' });
    });
  });

  describe('AuthGate', () => {
    it('should stay hidden until a token is required, then keep the one given', () => {
      const storage = memoryStorage();
      const store = new TokenStore(storage);
      render(
        <SWRConfig value={{ provider: () => new Map() }}>
          <AuthGate store={store} />
        </SWRConfig>,
      );
      expect(screen.queryByTestId('token-form')).to.equal(null);
      act(() => {
        store.require('missing bearer token');
      });
      expect(screen.getByTestId('token-form').textContent).to.include('missing bearer token');
      fireEvent.change(screen.getByLabelText('API token'), {
        target: { value: '  a-token-of-16-chars ' },
      });
      fireEvent.click(screen.getByRole('button', { name: 'Use this token' }));
      expect(store.token).to.equal('a-token-of-16-chars');
      expect(storage.values.get(tokenStorageKey)).to.equal('a-token-of-16-chars');
      expect(screen.queryByTestId('token-form')).to.equal(null);
    });
  });
});
