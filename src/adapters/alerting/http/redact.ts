const placeholder = '[redacted]';

/** Which parts of a URL may be a secret: all but the origin (a Slack webhook's path is its key). */
export function urlSecrets(url: URL): string[] {
  const path = url.pathname === '/' ? '' : url.pathname;
  const segments = url.pathname.split('/').filter((segment) => segment.length >= 8);
  const values = [...url.searchParams.values()].filter((value) => value.length >= 4);
  return [url.href, `${path}${url.search}`, path, url.search, ...segments, ...values];
}

/**
 * A function that replaces every occurrence of the given secrets, raw or percent-decoded, with
 * `[redacted]`. Longer secrets go first so that a secret containing another is removed whole.
 */
export function redactor(secrets: readonly string[]): (text: string) => string {
  const variants = new Set<string>();
  for (const secret of secrets) {
    if (secret.length < 4) continue;
    variants.add(secret);
    variants.add(decoded(secret));
  }
  const ordered = [...variants].sort((a, b) => b.length - a.length);
  return (text) => ordered.reduce((result, secret) => result.split(secret).join(placeholder), text);
}

function decoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
