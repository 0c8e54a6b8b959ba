import type { LogContext, Logger } from '../../src/application/ports/logger.port.js';

/** One line a RecordingLogger received. */
export interface LogLine {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly message: string;
  readonly context: LogContext | undefined;
}

/** A Logger that keeps every line for the test to read. */
export class RecordingLogger implements Logger {
  readonly lines: LogLine[] = [];

  debug(message: string, context?: LogContext): void {
    this.lines.push({ level: 'debug', message, context });
  }

  info(message: string, context?: LogContext): void {
    this.lines.push({ level: 'info', message, context });
  }

  warn(message: string, context?: LogContext): void {
    this.lines.push({ level: 'warn', message, context });
  }

  error(message: string, context?: LogContext): void {
    this.lines.push({ level: 'error', message, context });
  }
}
