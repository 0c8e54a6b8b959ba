import { useState, useSyncExternalStore, type SubmitEvent } from 'react';
import { useSWRConfig } from 'swr';
import { tokenStore as pageTokens, type TokenStore } from '../api/token-store.js';
import { Button } from '../components/button.js';

/**
 * Asks for the API token when the server answered 401, keeps it for the tab (sessionStorage), and
 * reloads every query with it; the shared socket reconnects with it by itself.
 */
export function AuthGate(props: { store?: TokenStore }) {
  const store = props.store ?? pageTokens;
  const snapshot = useSyncExternalStore(store.subscribe, store.getSnapshot);
  const { mutate } = useSWRConfig();
  const [value, setValue] = useState('');
  if (!snapshot.required) return null;

  const submit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    const token = value.trim();
    if (token === '') return;
    store.set(token);
    setValue('');
    void mutate(() => true);
  };

  return (
    <form className="token-form" onSubmit={submit} data-testid="token-form">
      <h2 className="token-form__title">This Queuewatch needs its API token</h2>
      <p className="token-form__reason">
        {snapshot.token === null ? 'The server asked for a token' : 'The token was refused'}
        {snapshot.reason && `: ${snapshot.reason}`}
      </p>
      <div className="token-form__row">
        <label htmlFor="api-token">API token</label>
        <input
          id="api-token"
          type="password"
          autoComplete="off"
          required
          autoFocus
          value={value}
          onChange={(event) => {
            setValue(event.target.value);
          }}
          data-testid="token-input"
        />
        <Button type="submit" data-testid="token-submit">
          Use this token
        </Button>
      </div>
      <p className="hint">Kept in this tab only (sessionStorage), sent as a bearer token.</p>
    </form>
  );
}
