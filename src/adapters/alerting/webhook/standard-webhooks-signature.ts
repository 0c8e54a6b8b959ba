import { createHmac } from 'node:crypto';

/** The prefix Standard Webhooks gives symmetric signing secrets. */
export const secretPrefix = 'whsec_';

/** Standard Webhooks' bounds on a symmetric key: 192 to 512 bits. */
export const keyBytes = { min: 24, max: 64 } as const;

/**
 * The HMAC key inside a `whsec_<base64>` secret, or a sentence saying what is wrong with it
 * (phrased to follow the option's name: `secret must start with whsec_`).
 */
export function signingKey(secret: string): Buffer | string {
  if (!secret.startsWith(secretPrefix)) return `must start with ${secretPrefix}`;
  const encoded = secret.slice(secretPrefix.length);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded) || encoded.length % 4 !== 0)
    return `must be ${secretPrefix} followed by base64`;
  const key = Buffer.from(encoded, 'base64');
  if (key.length < keyBytes.min || key.length > keyBytes.max)
    return `must decode to ${String(keyBytes.min)} to ${String(keyBytes.max)} bytes`;
  return key;
}

/** The three Standard Webhooks headers of one attempt. */
export interface SignatureHeaders {
  readonly 'webhook-id': string;
  readonly 'webhook-timestamp': string;
  readonly 'webhook-signature': string;
}

/**
 * Sign one attempt: `v1,` and the base64 HMAC-SHA256 of `{id}.{timestamp}.{body}`. The id must
 * not contain a full stop, or two different (id, timestamp) pairs could sign the same content.
 */
export function signatureHeaders(
  key: Buffer,
  id: string,
  timestampSeconds: number,
  body: string,
): SignatureHeaders {
  if (id === '' || id.includes('.'))
    throw new RangeError('a webhook-id must be non-empty and have no "."');
  if (!Number.isSafeInteger(timestampSeconds) || timestampSeconds < 0)
    throw new RangeError('a webhook-timestamp must be a whole number of seconds');
  const timestamp = String(timestampSeconds);
  const signature = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64');
  return {
    'webhook-id': id,
    'webhook-timestamp': timestamp,
    'webhook-signature': `v1,${signature}`,
  };
}
