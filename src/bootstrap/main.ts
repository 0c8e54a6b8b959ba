#!/usr/bin/env node
import { packageVersion, readCommandLine } from './cli/command-line.js';
import { loadConfig } from './config/load-config.js';
import { startQueuewatch, type RunningQueuewatch } from './queuewatch.js';
import { reasonOf } from '../domain/wording/reason.js';

/** Command-line entry: one clear line and a non-zero exit for anything that stops start-up. */
async function main(): Promise<void> {
  const commandLine = readCommandLine(process.argv.slice(2), packageVersion());
  if (commandLine.kind === 'exit') {
    // `--help` and `--version` are the only answers on stdout that are not log lines.
    process.stdout.write(commandLine.stdout);
    process.stderr.write(commandLine.stderr);
    process.exitCode = commandLine.code;
    return;
  }
  let running: RunningQueuewatch | undefined;
  let stopping = false;
  // Handlers go in first: a signal that arrives before them would kill the process unannounced.
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    (running?.stop() ?? Promise.resolve()).then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);

  try {
    // A flag wins over the environment variable it stands for; both are checked the same way.
    running = await startQueuewatch(await loadConfig({ ...process.env, ...commandLine.settings }));
  } catch (error) {
    const message = reasonOf(error);
    process.stderr.write(`queuewatch: ${message}\n`);
    // Any invalid configuration (environment, file, alert destination) exits 2.
    const code = typeof error === 'object' && error !== null && 'code' in error ? error.code : null;
    process.exit(code === 'QW_CONFIG_INVALID' ? 2 : 1);
  }
  // Nothing else goes to stdout: it carries pino's JSON lines only, and the `Queuewatch is serving`
  // line (info) already says the URL.
}

// A monitoring process outlives a failed callback: log it and keep serving.
process.on('unhandledRejection', (reason) => {
  process.stderr.write(`queuewatch: unhandled rejection: ${String(reason)}\n`);
});

await main();
