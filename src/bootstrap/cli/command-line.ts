import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { envSchema, type EnvConfig } from '../config/env-schema.js';
import { describeIssues } from '../config/zod-issues.js';
import { packageRoot } from '../package-root.js';

/** One flag: the environment variable it sets, and its line in `--help`. */
interface Flag {
  readonly flags: string;
  readonly env: keyof EnvConfig;
  /** A flag without `<value>` is a switch: given, it sets the variable to `true`. */
  readonly description: string;
}

/**
 * Every flag, each standing for the environment variable the config loader already checks
 * (README, "Configuration"). There is no flag for QUEUEWATCH_API_TOKEN or REDIS_SENTINEL_PASSWORD:
 * a secret on the command line is visible to every user of the machine (`ps`), so it stays in the
 * environment.
 */
export const commandLineFlags: readonly Flag[] = [
  {
    flags: '--redis-url <url>',
    env: 'REDIS_URL',
    description: 'the Redis that holds your queues, redis:// or rediss://',
  },
  {
    flags: '--redis-tls-ca-file <file>',
    env: 'REDIS_TLS_CA_FILE',
    description: "PEM file of the CA that signed Redis's certificate",
  },
  {
    flags: '--redis-tls-cert-file <file>',
    env: 'REDIS_TLS_CERT_FILE',
    description:
      'PEM client certificate, for a Redis that asks for one (with --redis-tls-key-file)',
  },
  {
    flags: '--redis-tls-key-file <file>',
    env: 'REDIS_TLS_KEY_FILE',
    description: "the client certificate's PEM private key",
  },
  {
    flags: '--redis-tls-servername <name>',
    env: 'REDIS_TLS_SERVERNAME',
    description: "the name Redis's certificate must carry, when not the URL's host",
  },
  {
    flags: '--redis-sentinels <addresses>',
    env: 'REDIS_SENTINELS',
    description: 'comma-separated Sentinels as host:port; the master is found through them',
  },
  {
    flags: '--redis-sentinel-name <name>',
    env: 'REDIS_SENTINEL_NAME',
    description: 'the master name the Sentinels monitor (with --redis-sentinels)',
  },
  {
    flags: '--redis-sentinel-tls',
    env: 'REDIS_SENTINEL_TLS',
    description: 'the Sentinels serve TLS too (with the --redis-tls-* files)',
  },
  {
    flags: '--redis-cluster-nodes <addresses>',
    env: 'REDIS_CLUSTER_NODES',
    description: 'comma-separated Redis Cluster nodes as host:port; the prefix needs a hash tag',
  },
  { flags: '--port <port>', env: 'PORT', description: 'HTTP port; 0 picks a free one' },
  {
    flags: '--host <host>',
    env: 'HOST',
    description: 'address to listen on; beyond loopback, set QUEUEWATCH_API_TOKEN',
  },
  {
    flags: '--queues <names>',
    env: 'QUEUEWATCH_QUEUES',
    description: 'comma-separated queues to watch; left out, they are discovered',
  },
  { flags: '--config <file>', env: 'QUEUEWATCH_CONFIG', description: 'a JSON config file' },
  { flags: '--prefix <prefix>', env: 'QUEUEWATCH_PREFIX', description: 'BullMQ key prefix' },
  {
    flags: '--allowed-origins <origins>',
    env: 'QUEUEWATCH_ALLOWED_ORIGINS',
    description: 'comma-separated origins whose pages may use the API and the socket',
  },
  {
    flags: '--allow-anonymous',
    env: 'QUEUEWATCH_ALLOW_ANONYMOUS',
    description: 'listen beyond loopback without a token',
  },
  {
    flags: '--instance-id <id>',
    env: 'QUEUEWATCH_INSTANCE_ID',
    description: "names this instance's checkpoint",
  },
  {
    flags: '--web-root <dir>',
    env: 'QUEUEWATCH_WEB_ROOT',
    description: "folder of the dashboard's built files",
  },
  {
    flags: '--log-level <level>',
    env: 'LOG_LEVEL',
    description: 'fatal, error, warn, info, debug, trace or silent',
  },
];

/** What the command line asks for: run with these settings, or answer and exit. */
export type CommandLine =
  | {
      readonly kind: 'run';
      /** The environment variables the flags set; they win over the environment's own. */
      readonly settings: Readonly<Record<string, string>>;
    }
  | {
      readonly kind: 'exit';
      readonly code: number;
      /** `--help` or `--version`'s answer. */
      readonly stdout: string;
      /** One line saying what is wrong. */
      readonly stderr: string;
    };

/** Values never written back in a message. */
const secret = new Set<keyof EnvConfig>(['REDIS_URL']);

/**
 * Read the arguments (`process.argv.slice(2)`). An unknown flag, a missing value, a stray
 * argument or a value the config loader would refuse is one line and exit code 2 (as invalid
 * configuration is); `--help` and `--version` answer on stdout with 0.
 */
export function readCommandLine(args: readonly string[], version: string): CommandLine {
  let stdout = '';
  let stderr = '';
  const program = new Command('queuewatch')
    .description('Real-time progress, health and failure alerting for BullMQ')
    .version(version, '-v, --version', 'print the version')
    .helpOption('-h, --help', 'print this help')
    .allowExcessArguments(false)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => {
        stdout += text;
      },
      writeErr: (text) => {
        stderr += text;
      },
    })
    .addHelpText(
      'after',
      '\nEach flag sets the environment variable in parentheses and wins over it; every other ' +
        'setting\n(QUEUEWATCH_API_TOKEN among them) is read from the environment. See docs/cli.md.',
    );
  const options = commandLineFlags.map((flag) => {
    const option = new Option(flag.flags, `${flag.description} (${flag.env})`);
    program.addOption(option);
    return { flag, key: option.attributeName() };
  });
  try {
    program.parse([...args], { from: 'user' });
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    if (error.exitCode === 0) return { kind: 'exit', code: 0, stdout, stderr: '' };
    return { kind: 'exit', code: 2, stdout: '', stderr: oneLine(stderr || error.message) };
  }
  const given = program.opts<Record<string, string | boolean | undefined>>();
  const settings: Record<string, string> = {};
  for (const { flag, key } of options) {
    const value = given[key];
    if (value === undefined) continue;
    const text = value === true ? 'true' : String(value);
    const problem = refusal(flag, text);
    if (problem !== null) return { kind: 'exit', code: 2, stdout: '', stderr: problem };
    settings[flag.env] = text;
  }
  return { kind: 'run', settings };
}

/** The line refusing a flag's value, checked by its variable's schema; `null` when it is fine. */
function refusal(flag: Flag, text: string): string | null {
  const name = flag.flags.split(' ')[0] ?? flag.flags;
  const shown = secret.has(flag.env) ? name : `${name}=${JSON.stringify(text)}`;
  if (text === '') return `queuewatch: invalid command line: ${name}: expected a value\n`;
  const result = envSchema.shape[flag.env].safeParse(text);
  if (result.success) return null;
  return `queuewatch: invalid command line: ${describeIssues(result.error, () => shown)}\n`;
}

/** Commander's message (`error: unknown option '--prot'` and a suggestion) on one line. */
function oneLine(message: string): string {
  const text = message
    .replace(/^error: /, '')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .join(' ');
  return `queuewatch: ${text}\n`;
}

/** The version in the package's own package.json. */
export function packageVersion(): string {
  const text = readFileSync(join(packageRoot(), 'package.json'), 'utf8');
  const { version } = JSON.parse(text) as { version?: unknown };
  return typeof version === 'string' ? version : 'unknown';
}
