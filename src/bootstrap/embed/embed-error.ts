/**
 * A use of an embedded Queuewatch that cannot work: its router mounted twice, the socket attached
 * twice or before the router is mounted, or either after `close()`. The message says what to do.
 */
export class EmbedError extends Error {
  readonly code = 'QW_EMBED_MISUSE';

  constructor(message: string) {
    super(message);
    this.name = 'EmbedError';
  }
}

/** Type guard for EmbedError. */
export function isEmbedError(value: unknown): value is EmbedError {
  return value instanceof EmbedError;
}
