import { z } from 'zod';

const loopbackHosts = new Set(['localhost', '127.0.0.1']);

/**
 * An endpoint URL: https, or http to this machine only (a local relay, or a test's server).
 * Credentials in the URL are refused because fetch cannot send them; they belong in a header.
 */
export const endpointUrl = z.string().transform((text, context) => {
  const url = URL.canParse(text) ? new URL(text) : null;
  if (url === null) {
    context.addIssue({ code: 'custom', message: 'must be an absolute URL' });
    return z.NEVER;
  }
  const secure = url.protocol === 'https:';
  const local = url.protocol === 'http:' && loopbackHosts.has(url.hostname);
  if (!secure && !local) {
    context.addIssue({
      code: 'custom',
      message: 'must be an https URL (http only for localhost or 127.0.0.1)',
    });
    return z.NEVER;
  }
  if (url.username !== '' || url.password !== '') {
    context.addIssue({
      code: 'custom',
      message: 'must not contain credentials; send them in a header instead',
    });
    return z.NEVER;
  }
  return url;
});

/** How long one attempt may take, connection to last byte. */
export const timeoutMs = z.number().int().min(100).max(60_000).default(5_000);
