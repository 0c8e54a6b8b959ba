/** What the dashboard knows about the API token. */
export interface TokenSnapshot {
  readonly token: string | null;
  /** The API answered 401: the user has to give (another) token. */
  readonly required: boolean;
  /** Why the last token was asked for, as the server said it. */
  readonly reason: string | null;
}

/** The key under which the token is kept for the browser tab's session. */
export const tokenStorageKey = 'queuewatch.apiToken';

/**
 * The API token, kept in sessionStorage (gone when the tab closes), and whether the server asked
 * for one. Components read it through `useSyncExternalStore`.
 */
export class TokenStore {
  private snapshot: TokenSnapshot;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly storage: Pick<Storage, 'getItem' | 'setItem'> | null) {
    this.snapshot = {
      token: storage?.getItem(tokenStorageKey) ?? null,
      required: false,
      reason: null,
    };
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getSnapshot = (): TokenSnapshot => this.snapshot;

  /** The token to send, if any. */
  get token(): string | null {
    return this.snapshot.token;
  }

  /** The server refused the request: ask the user for a token. */
  require(reason: string): void {
    if (this.snapshot.required && this.snapshot.reason === reason) return;
    this.update({ ...this.snapshot, required: true, reason });
  }

  /** Keep the token the user gave. */
  set(token: string): void {
    this.storage?.setItem(tokenStorageKey, token);
    this.update({ token, required: false, reason: null });
  }

  private update(next: TokenSnapshot): void {
    this.snapshot = next;
    for (const listener of [...this.listeners]) listener();
  }
}

/** The page's token store. */
export const tokenStore = new TokenStore(
  typeof sessionStorage === 'undefined' ? null : sessionStorage,
);
