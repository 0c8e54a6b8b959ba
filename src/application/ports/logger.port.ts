/** Structured context attached to a log line. */
export type LogContext = Readonly<Record<string, unknown>>;

/** Where the application writes what happened. */
export interface Logger {
  debug(message: string, context?: LogContext): void;
  info(message: string, context?: LogContext): void;
  warn(message: string, context?: LogContext): void;
  error(message: string, context?: LogContext): void;
}
