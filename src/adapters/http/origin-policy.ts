/** Who may reach Queuewatch from a browser page (docs/security.md). */
export interface OriginPolicyOptions {
  /** Origins (`https://ops.example.com`) besides Queuewatch's own whose pages may use it. */
  readonly allowedOrigins: readonly string[];
  /**
   * Answer only requests addressed to a loopback name or an allowed origin's host: set when
   * Queuewatch listens on loopback, where a DNS-rebinding page is the way in.
   */
  readonly loopbackHostsOnly: boolean;
}

/** Why a request was refused, in the words of the API's error body. */
export interface OriginRefusal {
  readonly code: 'QW_FORBIDDEN_ORIGIN' | 'QW_FORBIDDEN_HOST';
  readonly message: string;
}

/**
 * The checks that keep other web pages out: a cross-origin `Origin` (a page elsewhere calling the
 * API or opening the socket) and, on loopback, a `Host` that is not a loopback name (a page whose
 * DNS name was rebound to 127.0.0.1, so its requests look same-origin). Both headers are set by
 * the browser, which a page cannot override; non-browser clients send no `Origin`.
 */
export class OriginPolicy {
  private readonly allowedOrigins: ReadonlySet<string>;
  private readonly allowedHostnames: ReadonlySet<string>;

  constructor(private readonly options: OriginPolicyOptions) {
    const origins = options.allowedOrigins.map((origin) => new URL(origin));
    this.allowedOrigins = new Set(origins.map((url) => url.origin));
    this.allowedHostnames = new Set(origins.map((url) => url.hostname));
  }

  /** `null` when the request's `Host` is one Queuewatch answers to. */
  checkHost(host: string | undefined): OriginRefusal | null {
    // Without a Host header the request is not from a browser (every browser sends one).
    if (!this.options.loopbackHostsOnly || host === undefined) return null;
    const hostname = hostnameOf(host);
    if (hostname !== null && (isLoopbackName(hostname) || this.allowedHostnames.has(hostname))) {
      return null;
    }
    return {
      code: 'QW_FORBIDDEN_HOST',
      message:
        `Host ${shown(host)} refused: Queuewatch listens on loopback and answers only to ` +
        'localhost, 127.0.0.1 and [::1] (a guard against DNS rebinding); to reach it under ' +
        'another name, add that origin to QUEUEWATCH_ALLOWED_ORIGINS',
    };
  }

  /** `null` when the request has no `Origin`, Queuewatch's own, or an allowed one. */
  checkOrigin(origin: string | undefined, host: string | undefined): OriginRefusal | null {
    if (origin === undefined) return null;
    const url = parseUrl(origin);
    if (url !== null && (url.protocol === 'http:' || url.protocol === 'https:')) {
      if (this.allowedOrigins.has(url.origin)) return null;
      if (host !== undefined && sameHost(url, host)) return null;
    }
    return {
      code: 'QW_FORBIDDEN_ORIGIN',
      message:
        `cross-origin request refused: Origin ${shown(origin)} is not Queuewatch's own; ` +
        'to let pages of that origin use the API and the socket, add it to ' +
        'QUEUEWATCH_ALLOWED_ORIGINS (e.g. QUEUEWATCH_ALLOWED_ORIGINS=https://ops.example.com)',
    };
  }

  /** Both checks, as the Socket.IO handshake needs them: Host first, then Origin. */
  checkHandshake(origin: string | undefined, host: string | undefined): OriginRefusal | null {
    return this.checkHost(host) ?? this.checkOrigin(origin, host);
  }
}

/** `localhost`, any 127.0.0.0/8 address, or `[::1]` (as the URL parser writes them). */
function isLoopbackName(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

/** The host name of a `Host` header (`[::1]:3000` → `[::1]`), or `null` when it is not one. */
function hostnameOf(host: string): string | null {
  if (!/^[^\s/?#@\\]+$/.test(host)) return null;
  return parseUrl(`http://${host}`)?.hostname ?? null;
}

/** Is the page's origin this very server (the `Host` read with the origin's scheme)? */
function sameHost(origin: URL, host: string): boolean {
  if (!/^[^\s/?#@\\]+$/.test(host)) return false;
  return parseUrl(`${origin.protocol}//${host}`)?.host === origin.host;
}

function parseUrl(text: string): URL | null {
  try {
    return new URL(text);
  } catch {
    return null;
  }
}

/** A header value fit for an error message: quoted and cut short. */
function shown(value: string): string {
  return JSON.stringify(value.length > 100 ? `${value.slice(0, 100)}…` : value);
}
