import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import type {
  AlertPort,
  DeliveryAttempt,
  DeliveryResult,
} from '../../../application/ports/alert.port.js';
import type { LogContext, Logger } from '../../../application/ports/logger.port.js';
import type { Alert } from '../../../domain/alerting/alert.js';
import {
  DestinationConfigError,
  type DestinationDependencies,
  type DestinationFactory,
} from '../destination-factory.js';
import { parseOptions } from '../parse-options.js';
import { reasonOf } from '../../../domain/wording/reason.js';

/** What a plugin module exports (as `createDestination`, or as its default export). */
export type PluginFactory = (
  options: unknown,
  deps: DestinationDependencies,
) => PluginDestination | Promise<PluginDestination>;

/** What a plugin's factory returns: the host supplies the name and the type `module`. */
export type PluginDestination = Pick<AlertPort, 'send'> & Partial<AlertPort>;

/** Options of a `module` destination; `baseDir` is added by the registry, not written by users. */
const moduleOptions = z
  .object({
    module: z.string().min(1),
    options: z.unknown().optional(),
    baseDir: z.string().min(1),
  })
  .strict();

/** A DeliveryResult as the port defines it, to check what third-party code returns. */
const deliveryResult = z.union([
  z.object({ outcome: z.literal('delivered') }),
  z.object({
    outcome: z.literal('failed'),
    retryable: z.boolean(),
    reason: z.string().min(1),
    retryAfterMs: z.number().int().min(0).exactOptional(),
  }),
]);

const reasonLength = 200;

/**
 * Type `module`: a destination from a plugin. `module` is a path (relative to the config file's
 * directory) or a package name; it is imported and its factory called with the plugin's
 * `options` and `{ logger, fetch }`.
 */
export const createModuleDestination: DestinationFactory = async (name, options, deps) => {
  const {
    module: specifier,
    options: pluginOptions,
    baseDir,
  } = parseOptions(moduleOptions, name, options);
  const fail = (problem: string) =>
    new DestinationConfigError(name, `module ${JSON.stringify(specifier)}: ${problem}`);
  const factory = pluginFactory(await load(specifier, baseDir, fail), fail);
  const logger = new ScopedLogger(deps.logger, { destination: name });
  let plugin: unknown;
  try {
    plugin = await factory(pluginOptions ?? {}, { logger, fetch: deps.fetch, clock: deps.clock });
  } catch (error) {
    throw fail(`its factory threw: ${reasonOf(error)}`);
  }
  if (!hasSend(plugin))
    throw fail('its factory returned no destination (an object with a send method)');
  return new ModuleDestination(name, plugin);
};

async function load(
  specifier: string,
  baseDir: string,
  fail: (problem: string) => DestinationConfigError,
): Promise<Record<string, unknown>> {
  const isPath =
    specifier.startsWith('.') || specifier.startsWith('/') || /^[A-Za-z]:[\\/]/.test(specifier);
  const path = isPath ? resolve(baseDir, specifier) : null;
  if (path !== null && !existsSync(path)) throw fail(`not found at ${path}`);
  try {
    // A package name resolves from Queuewatch's own node_modules, where plugins are installed.
    return (await import(path === null ? specifier : pathToFileURL(path).href)) as Record<
      string,
      unknown
    >;
  } catch (error) {
    throw fail(`cannot be loaded: ${reasonOf(error)}`);
  }
}

function pluginFactory(
  exports: Record<string, unknown>,
  fail: (problem: string) => DestinationConfigError,
): PluginFactory {
  const candidate = exports.createDestination ?? exports.default;
  if (typeof candidate !== 'function')
    throw fail('exports no factory: export a function createDestination, or a default function');
  return candidate as PluginFactory;
}

function hasSend(value: unknown): value is PluginDestination {
  return (
    typeof value === 'object' &&
    value !== null &&
    'send' in value &&
    typeof value.send === 'function'
  );
}

class ModuleDestination implements AlertPort {
  readonly type = 'module';

  constructor(
    readonly name: string,
    private readonly plugin: PluginDestination,
  ) {}

  /** Third-party code is held to the port: a throw or a malformed result becomes a failure. */
  async send(alert: Alert, attempt: DeliveryAttempt): Promise<DeliveryResult> {
    let result: unknown;
    try {
      result = await this.plugin.send(alert, attempt);
    } catch (error) {
      // A plugin that throws broke the contract; the failure may be passing, so it is retried.
      return {
        outcome: 'failed',
        retryable: true,
        reason: cut(`the plugin threw: ${reasonOf(error)}`),
      };
    }
    const parsed = deliveryResult.safeParse(result);
    if (parsed.success) return parsed.data;
    return {
      outcome: 'failed',
      retryable: false,
      reason: 'the plugin returned no valid DeliveryResult',
    };
  }
}

/** The host's logger, with the destination's name on every line the plugin writes. */
class ScopedLogger implements Logger {
  constructor(
    private readonly logger: Logger,
    private readonly scope: LogContext,
  ) {}

  debug(text: string, context?: LogContext): void {
    this.logger.debug(text, { ...this.scope, ...context });
  }

  info(text: string, context?: LogContext): void {
    this.logger.info(text, { ...this.scope, ...context });
  }

  warn(text: string, context?: LogContext): void {
    this.logger.warn(text, { ...this.scope, ...context });
  }

  error(text: string, context?: LogContext): void {
    this.logger.error(text, { ...this.scope, ...context });
  }
}

function cut(text: string): string {
  return text.length > reasonLength ? `${text.slice(0, reasonLength - 1)}…` : text;
}
