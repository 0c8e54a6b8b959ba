import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import fc from 'fast-check';
import { isConfigError } from '../../../src/bootstrap/config/config-error.js';
import { envSchema } from '../../../src/bootstrap/config/env-schema.js';
import { loadConfig, type QueuewatchConfig } from '../../../src/bootstrap/config/load-config.js';
import {
  configDocuments,
  injectedValues,
  JsonObject,
  referenceNames,
  toText,
  type JsonNode,
} from '../support/config-documents.js';
import { hostileStrings } from '../support/hostile-values.js';

type Env = Record<string, string>;

/** A variable's values: valid ones, near misses; anything at all is added to both. */
interface Values {
  readonly valid: fc.Arbitrary<string>;
  readonly near: fc.Arbitrary<string>;
}

const integers = (min: number, max: number): Values => ({
  valid: fc.oneof(fc.integer({ min, max }).map(String), fc.constantFrom(` ${String(max)} `)),
  near: fc.constantFrom(String(min - 1), String(max + 1), '1.5', '1e3', '0x10', 'abc', '1_000'),
});

const texts = (valid: string[], near: string[]): Values => ({
  valid: fc.constantFrom(...valid),
  near: fc.constantFrom(...near),
});

/** Values for each variable Queuewatch reads. */
const variableValues: Record<string, Values> = {
  REDIS_URL: texts(
    ['redis://127.0.0.1:6379', 'rediss://user:hunter2@cache:6380/0'],
    ['http://user:hunter2@host', 'redis://', 'redis:host'],
  ),
  PORT: integers(0, 65_535),
  HOST: texts(
    ['127.0.0.1', 'localhost', '::1', '127.8.8.8', '0.0.0.0', '10.1.2.3', 'example.com'],
    ['a\nb', '0.0.0.0 ', '127.0.0.1\u2028'],
  ),
  QUEUEWATCH_PREFIX: texts(['bull', 'my-prefix'], ['my prefix', 'a*', 'q[1]']),
  QUEUEWATCH_QUEUES: texts(
    ['payments,emails', ' a, b ,,c ', 'payments,payments'],
    ['ok,not:ok', ',', ' ', 'tab\tbed'],
  ),
  QUEUEWATCH_DISCOVERY_INTERVAL_MS: integers(0, 86_400_000),
  QUEUEWATCH_API_TOKEN: texts(['0123456789abcdef0123', '${SECRET}-long-enough'], ['short-secret']),
  QUEUEWATCH_ALLOW_ANONYMOUS: texts(['true', 'false'], ['yes', 'TRUE', '1']),
  QUEUEWATCH_REDIS_TIMEOUT_MS: integers(50, 60_000),
  QUEUEWATCH_MAX_SUBSCRIPTIONS: integers(1, 100_000),
  QUEUEWATCH_HEALTH_CACHE_MS: integers(0, 60_000),
  QUEUEWATCH_HEALTH_QUIET_REFRESH_MS: integers(0, 3_600_000),
  QUEUEWATCH_WEB_ROOT: texts(['/srv/queuewatch/web'], ['']),
  QUEUEWATCH_INSTANCE_ID: texts(['qw-1', 'qw.eu-west_1'], ['bad id', 'x'.repeat(65)]),
  LOG_LEVEL: texts(['info', 'debug', 'silent'], ['loud', 'INFO']),
};

const valuesOf = (key: string): fc.Arbitrary<string> => {
  const values = variableValues[key];
  if (!values) return hostileStrings;
  return fc.oneof(
    { arbitrary: values.valid, weight: 20 },
    { arbitrary: values.near, weight: 2 },
    { arbitrary: hostileStrings, weight: 1 },
  );
};

const schemaKeys = Object.keys(envSchema.shape);
const secretKeys = new Set(['QUEUEWATCH_API_TOKEN', 'REDIS_URL']);

/** Where QUEUEWATCH_CONFIG points: the generated file mostly; or nowhere, or a folder. */
type ConfigPlace = 'file' | 'missing' | 'folder' | 'unset';

const environments = fc.record({
  // A few variables at a time, as a deployment sets them.
  variables: fc
    .uniqueArray(fc.constantFrom(...schemaKeys.filter((key) => key !== 'QUEUEWATCH_CONFIG')), {
      maxLength: 3,
    })
    .chain((keys) =>
      fc.tuple(...keys.map((key) => valuesOf(key).map((value) => [key, value] as const))),
    )
    .map((entries) => Object.fromEntries(entries) as Partial<Record<string, string>>),
  references: fc.record(
    Object.fromEntries(
      referenceNames.map((name) => [
        name,
        // The three the files mostly refer to are set nearly always; MISSING and the names
        // every object has never are.
        ['HOOK', 'SECRET', 'QNAME'].includes(name)
          ? fc.option(injectedValues, { nil: undefined, freq: 50 })
          : fc.constant(undefined),
      ]),
    ),
  ),
  place: fc.oneof(
    { arbitrary: fc.constant<ConfigPlace>('file'), weight: 12 },
    { arbitrary: fc.constantFrom<ConfigPlace>('missing', 'folder', 'unset'), weight: 1 },
  ),
});

interface Environment {
  readonly variables: Partial<Record<string, string>>;
  readonly references: Partial<Record<string, string>>;
  readonly place: ConfigPlace;
}

/** `${NAME}` replaced, in one pass, by the variable NAME set in the environment itself. */
function substitute(text: string, env: Env): string | { missing: string } {
  let out = '';
  let at = 0;
  for (;;) {
    const start = text.indexOf('${', at);
    if (start === -1) return out + text.slice(at);
    const end = text.indexOf('}', start + 2);
    const name = end === -1 ? '' : text.slice(start + 2, end);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      out += text.slice(at, start + 2);
      at = start + 2;
      continue;
    }
    if (!Object.hasOwn(env, name)) return { missing: name };
    out += text.slice(at, start) + env[name]!;
    at = end + 1;
  }
}

/** The reference found a `${NAME}` that is not set. */
class Missing extends Error {
  constructor(readonly variable: string) {
    super(`\${${variable}} is not set`);
  }
}

/** The reference interpolation of a parsed file: the same shape, each string substituted. */
function interpolated(value: unknown, env: Env): unknown {
  if (typeof value === 'string') {
    const result = substitute(value, env);
    if (typeof result !== 'string') throw new Missing(result.missing);
    return result;
  }
  if (Array.isArray(value)) return value.map((item) => interpolated(item, env));
  if (typeof value === 'object' && value !== null) {
    const copy: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      const item = interpolated((value as Record<string, unknown>)[key], env);
      Object.defineProperty(copy, key, {
        value: item,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return copy;
  }
  return value;
}

/** The segments of a path as the loader writes it: `a.b[0]["odd key"]`. */
function segmentsOf(path: string): (string | number)[] | null {
  const segments: (string | number)[] = [];
  let rest = path;
  while (rest !== '') {
    const index = /^\[(\d+)\]/.exec(rest);
    const quoted = /^\[("(?:[^"\\]|\\.)*")\]/.exec(rest);
    const name = /^\.?([^.[\]"\s]+)/.exec(rest);
    const match = index ?? quoted ?? name;
    if (!match) return null;
    segments.push(
      index ? Number(index[1]) : quoted ? (JSON.parse(quoted[1]!) as string) : match[1]!,
    );
    rest = rest.slice(match[0].length);
  }
  return segments;
}

/** What a path leads to in a JSON value; `undefined` when nothing is there. */
function resolve(value: unknown, segments: readonly (string | number)[]): unknown {
  let here = value;
  for (const segment of segments) {
    if (typeof here !== 'object' || here === null || !Object.hasOwn(here, segment))
      return undefined;
    here = (here as Record<string | number, unknown>)[segment];
  }
  return here;
}

interface Inputs {
  readonly env: Env;
  readonly place: ConfigPlace;
  readonly path: string;
  readonly text: string;
}

/**
 * Check a refusal: one line, and it names what to fix — a variable that is set (never echoing a
 * secret), the config file and a path that is in it, or the setting it breaks.
 */
function checkRefusal(message: string, inputs: Inputs): void {
  const { env, path, text } = inputs;
  expect(message, 'one line').to.not.match(/[\p{Cc}\u2028\u2029]/u);
  const variable = /^invalid environment: ([A-Z_]+)(=|: )/.exec(message);
  if (variable) {
    const [, key, separator] = variable;
    expect(schemaKeys).to.include(key);
    expect(env[key!], `${key!} is set`).to.be.a('string').and.not.equal('');
    if (secretKeys.has(key!)) expect(separator, `${key!} is not echoed`).to.equal(': ');
    return;
  }
  if (message.startsWith('QUEUEWATCH_CONFIG: ')) {
    expect(message).to.satisfy(
      (line: string) =>
        line.startsWith(`QUEUEWATCH_CONFIG: cannot read ${path}: `) ||
        line.startsWith(`QUEUEWATCH_CONFIG: ${path} is not valid JSON: `),
    );
    if (message.includes(' is not valid JSON: '))
      expect(() => JSON.parse(text) as unknown).to.throw();
    else expect(inputs.place).to.be.oneOf(['missing', 'folder']);
    return;
  }
  if (message.startsWith(`${path}: `)) {
    const parsed = JSON.parse(text) as unknown;
    const rest = message.slice(path.length + 2);
    const where = /^(\(root\)|[^:]*?(?:\]|[^\]"\s]))(?=: | refers to | is nested)/.exec(rest)?.[1];
    expect(where, `a path at the start of "${rest.slice(0, 200)}"`).to.be.a('string');
    const segments = where === '(root)' ? [] : segmentsOf(where!);
    expect(segments, `"${where!}" reads as a path`).to.not.equal(null);
    const reference = / refers to \$\{(\w+)\}, but \1 is not set$/.exec(rest);
    if (reference) {
      expect(Object.hasOwn(env, reference[1]!), `${reference[1]!} is not set`).to.equal(false);
      expect(resolve(parsed, segments!)).to.be.a('string').and.include(`\${${reference[1]!}}`);
      return;
    }
    // A schema issue: the path, or the object that lacks it, is in the file.
    const holder = segments!.length === 0 ? parsed : resolve(parsed, segments!.slice(0, -1));
    expect(holder, `the file has ${where!}, or the object it belongs in`).to.not.equal(undefined);
    return;
  }
  if (message.startsWith('config file: ')) {
    expect(message).to.match(
      /^config file: (queue ".*" is listed twice|alerts\.destinations: the name ".*" is used twice|(alerts|queues ".*")\.failureThreshold: clearCount \(\d+\) must be below count \(\d+\)|(health\.queue|health\.redis|queues ".*")\.\w+: degraded \([\d.e+-]+\) must not exceed unhealthy \([\d.e+-]+\))$/,
    );
    return;
  }
  if (message.startsWith('HOST=')) {
    expect(message).to.match(
      / makes Queuewatch reachable from other machines: set QUEUEWATCH_API_TOKEN /,
    );
    expect(env.QUEUEWATCH_API_TOKEN ?? '').to.equal('');
    expect(env.QUEUEWATCH_ALLOW_ANONYMOUS).to.not.equal('true');
    return;
  }
  expect.fail(`a refusal that names no variable, file or setting: ${message}`);
}

/** Check an accepted config against what was asked for. */
function checkConfig(config: QueuewatchConfig, inputs: Inputs): void {
  const { env } = inputs;
  expect(config.port).to.equal(env.PORT ? Number(env.PORT) : 3_000);
  // An empty variable counts as not set.
  expect(config.host).to.equal(env.HOST === undefined || env.HOST === '' ? '127.0.0.1' : env.HOST);
  if (env.QUEUEWATCH_QUEUES) {
    const named = env.QUEUEWATCH_QUEUES.split(',')
      .map((name) => name.trim())
      .filter((name) => name !== '');
    expect(config.queues.configured.map((queue) => queue.name)).to.deep.equal(named);
  }
  if (inputs.place !== 'file') return;
  // Every destination's own options are the file's, each string substituted and nothing more:
  // whatever a variable holds, it stays inside the string it was referred to from.
  let file: { alerts?: { destinations?: Record<string, unknown>[] } };
  try {
    file = interpolated(JSON.parse(inputs.text), env) as typeof file;
  } catch (error) {
    if (!(error instanceof Missing)) throw error;
    expect.fail(`accepted a file that refers to \${${error.variable}}, which is not set`);
  }
  const entries = file.alerts?.destinations;
  // Without a list, alerts go to the log; an empty list sends them nowhere.
  expect(config.alerts.destinations).to.have.length(entries?.length ?? 1);
  if (!entries) return;
  entries.forEach((entry, index) => {
    const known = ['name', 'type', 'minSeverity', 'queues'];
    const options = Object.fromEntries(
      Object.entries(entry).filter(([key]) => !known.includes(key)),
    );
    expect(config.alerts.destinations[index]?.options).to.deep.equal(options);
  });
}

describe('loadConfig', () => {
  let folder: string;
  const prototypeKeys = Object.getOwnPropertyNames(Object.prototype).sort();

  before(async () => {
    folder = await mkdtemp(join(tmpdir(), 'queuewatch-config-'));
  });
  after(async () => {
    await rm(folder, { recursive: true, force: true });
  });
  afterEach(() => {
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).to.deep.equal(prototypeKeys);
  });

  /** Write the file, load the config, and return what came of it. */
  async function load(environment: Environment, document: JsonNode) {
    const path = join(folder, 'queuewatch.json');
    const text = toText(document);
    await writeFile(path, text);
    const env: Env = {};
    for (const [key, value] of [
      ...Object.entries(environment.variables),
      ...Object.entries(environment.references),
    ]) {
      if (value !== undefined) Object.defineProperty(env, key, { value, enumerable: true });
    }
    const configPath = {
      file: path,
      missing: join(folder, 'missing.json'),
      folder,
      unset: undefined,
    }[environment.place];
    if (configPath !== undefined) env.QUEUEWATCH_CONFIG = configPath;
    const inputs: Inputs = { env, place: environment.place, path: configPath ?? '', text };
    try {
      return { inputs, config: await loadConfig(env), error: null };
    } catch (error) {
      return { inputs, config: null, error };
    }
  }

  describe('having generated environments and config files', () => {
    it('should give a valid config or a one-line QW_CONFIG_INVALID naming what to fix, nothing else', async () => {
      await fc.assert(
        fc.asyncProperty(environments, configDocuments, async (environment, document) => {
          const { inputs, config, error } = await load(environment, document);
          if (config) {
            checkConfig(config, inputs);
            return;
          }
          expect(isConfigError(error), String((error as Error | null)?.stack ?? error)).to.equal(
            true,
          );
          expect((error as { code: string }).code).to.equal('QW_CONFIG_INVALID');
          checkRefusal((error as Error).message, inputs);
        }),
        { numRuns: 2_000 },
      );
    });
  });

  describe('having ${ENV} references whose values hold JSON, quotes and other references', () => {
    it('should put each value inside the string that refers to it, and nowhere else', async () => {
      const documents = fc
        .array(
          fc.array(
            fc.tuple(
              fc.constantFrom('url', 'secret', 'channel', 'a.b', 'a\nb', ''),
              fc
                .array(
                  fc.oneof(
                    fc.constantFrom('${HOOK}', '${SECRET}', '${QNAME}', '$${HOOK}', '${'),
                    // Text around the references, without braces, so it cannot close a reference of its own.
                    fc.string({
                      maxLength: 4,
                      unit: fc.constantFrom('a', ' ', '"', '\\', ':', '.', '$', '\n', 'é'),
                    }),
                  ),
                  { minLength: 1, maxLength: 4 },
                )
                .map((parts) => parts.join('')),
            ),
            { maxLength: 3 },
          ),
          { minLength: 1, maxLength: 3 },
        )
        .map(
          (destinations) =>
            new JsonObject([
              [
                'alerts',
                new JsonObject([
                  [
                    'destinations',
                    destinations.map(
                      (options, index) =>
                        new JsonObject([
                          ['name', `d${String(index)}`],
                          ['type', 'webhook'],
                          ...options,
                        ]),
                    ),
                  ],
                ]),
              ],
            ]),
        );
      const values = fc.record({
        HOOK: injectedValues,
        SECRET: injectedValues,
        QNAME: injectedValues,
      });
      await fc.assert(
        fc.asyncProperty(values, documents, async (references, document) => {
          const { inputs, config, error } = await load(
            { variables: {}, references, place: 'file' },
            document,
          );
          expect(error, String(error)).to.equal(null);
          checkConfig(config!, inputs);
          expect(config!.queues.configured).to.deep.equal([]);
        }),
        { numRuns: 1_000 },
      );
    });
  });

  describe('having a reference to a variable that is not set', () => {
    it('should refuse the file naming the variable and where, whatever the name', async () => {
      const names = fc.oneof(
        fc.constantFrom(
          'constructor',
          'toString',
          '__proto__',
          'hasOwnProperty',
          'valueOf',
          'MISSING',
        ),
        fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,12}$/).filter((name) => name !== 'HOOK'),
      );
      await fc.assert(
        fc.asyncProperty(names, async (name) => {
          const document = new JsonObject([
            [
              'alerts',
              new JsonObject([
                [
                  'destinations',
                  [
                    new JsonObject([
                      ['type', 'log'],
                      ['url', `\${HOOK}/\${${name}}`],
                    ]),
                  ],
                ],
              ]),
            ],
          ]);
          const { inputs, error } = await load(
            { variables: {}, references: { HOOK: 'https://example.com' }, place: 'file' },
            document,
          );
          expect((error as Error | null)?.message).to.equal(
            `${inputs.path}: alerts.destinations[0].url refers to \${${name}}, but ${name} is not set`,
          );
        }),
        { numRuns: 1_000 },
      );
    });
  });
});
