/** Configuration Queuewatch cannot start with; the message says what to fix. */
export class ConfigError extends Error {
  readonly code = 'QW_CONFIG_INVALID';

  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Type guard for ConfigError. */
export function isConfigError(value: unknown): value is ConfigError {
  return value instanceof ConfigError;
}
