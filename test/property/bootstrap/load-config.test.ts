import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import fc from 'fast-check';
import { isConfigError } from '../../../src/bootstrap/config/config-error.js';
import { loadConfig, type QueuewatchConfig } from '../../../src/bootstrap/config/load-config.js';
import {
  configDocuments,
  injectedValues,
  JsonObject,
  toText,
  type JsonNode,
} from '../support/config-documents.js';
import {
  environments,
  schemaKeys,
  secretKeys,
  type ConfigPlace,
  type Environment,
} from '../support/config-environments.js';
import {
  interpolated,
  Missing,
  resolve,
  segmentsOf,
  type Env,
} from '../support/config-reference.js';

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
  // The Redis connection's settings that are checked together (TLS files, Sentinels).
  const redisSettings = /^(REDIS_[A-Z_]+(?:(?:, | and )REDIS_[A-Z_]+)*): /.exec(message);
  if (redisSettings) {
    const names = redisSettings[1]!.split(/, | and /);
    for (const name of names) expect(schemaKeys).to.include(name);
    expect(
      names.some((name) => (env[name] ?? '') !== ''),
      `one of ${names.join(', ')} is set`,
    ).to.equal(true);
    expect(message.slice(redisSettings[0].length)).to.match(
      /^(set for a REDIS_URL that is not rediss:\/\/ \(TLS needs rediss:\/\/host:port\)|a client certificate needs its key; set both or neither|cannot read .+ \(.+\)|.+ is not a PEM file \(no -----BEGIN line\)|a master behind Sentinels needs both \(the Sentinels, and the name they monitor it by\)|set without REDIS_SENTINELS)$/,
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
