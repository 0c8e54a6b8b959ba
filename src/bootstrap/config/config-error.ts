/** Configuration Queuewatch cannot start with; the message says what to fix, on one line. */
export class ConfigError extends Error {
  readonly code = 'QW_CONFIG_INVALID';

  constructor(message: string) {
    super(oneLine(message));
    this.name = 'ConfigError';
  }
}

/** Type guard for ConfigError. */
export function isConfigError(value: unknown): value is ConfigError {
  return value instanceof ConfigError;
}

/**
 * Messages quote the values, keys and JSON text they complain about; a line break or control
 * character in those is escaped (`\n`, `\u2028`), so a message stays one line in any log.
 */
function oneLine(message: string): string {
  return message.replace(/[\p{Cc}\u2028\u2029]/gu, (char) => {
    const escaped = JSON.stringify(char).slice(1, -1);
    return escaped === char ? `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}` : escaped;
  });
}
