import { pino, type DestinationStream, type Logger as Pino } from 'pino';
import type { LogContext, Logger } from '../../application/ports/logger.port.js';

/** Log levels a user may set with LOG_LEVEL. */
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/** A Logger that writes pino's JSON lines (to stdout unless a destination is given). */
export class PinoLogger implements Logger {
  private readonly pino: Pino;

  constructor(level: LogLevel, destination?: DestinationStream) {
    this.pino = pino({ level, base: { service: 'queuewatch' } }, destination);
  }

  debug(message: string, context?: LogContext): void {
    this.pino.debug(context ?? {}, message);
  }

  info(message: string, context?: LogContext): void {
    this.pino.info(context ?? {}, message);
  }

  warn(message: string, context?: LogContext): void {
    this.pino.warn(context ?? {}, message);
  }

  error(message: string, context?: LogContext): void {
    this.pino.error(context ?? {}, message);
  }
}
