/** The most of a job's JSON the console shows at once: 64 KB. */
export const jsonTextLimitBytes = 64 * 1024;

/** A job's JSON (data, options, return value) as text, cut when it is too long to show. */
export interface CutText {
  readonly text: string;
  /** Bytes of the whole text (UTF-8). */
  readonly bytes: number;
  readonly truncated: boolean;
}

/**
 * The text as shown: the whole of it when it fits in `limit` bytes, else its first `limit` bytes.
 * `head` may already be cut by the reader (which then says how many bytes the whole has); a
 * character split by the cut is dropped, so the text never ends in half a character.
 */
export function cutText(
  head: string,
  wholeBytes: number = utf8Bytes(head),
  limit: number = jsonTextLimitBytes,
): CutText {
  if (wholeBytes <= limit && utf8Bytes(head) === wholeBytes) {
    return { text: head, bytes: wholeBytes, truncated: false };
  }
  let text = '';
  let bytes = 0;
  for (const char of head) {
    const size = utf8Bytes(char);
    if (bytes + size > limit) break;
    text += char;
    bytes += size;
  }
  // A byte-wise cut made by the reader ends in a replacement character: drop it.
  return { text: text.replace(/\uFFFD+$/u, ''), bytes: wholeBytes, truncated: true };
}

/** The size of a string in UTF-8, without an encoder (the domain uses no platform API). */
export function utf8Bytes(text: string): number {
  let bytes = 0;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && index + 1 < text.length) {
      const next = text.charCodeAt(index + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        index += 1;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}
