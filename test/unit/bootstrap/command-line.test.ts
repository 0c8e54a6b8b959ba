import { readFile } from 'node:fs/promises';
import { expect } from 'chai';
import {
  commandLineFlags,
  packageVersion,
  readCommandLine,
} from '../../../src/bootstrap/cli/command-line.js';
import { envSchema } from '../../../src/bootstrap/config/env-schema.js';

/** The answer to these arguments, expected to be an exit. */
function exitOf(args: string[]) {
  const answer = readCommandLine(args, '1.2.3');
  if (answer.kind !== 'exit') throw new Error(`expected an exit, got ${JSON.stringify(answer)}`);
  return answer;
}

describe('readCommandLine', () => {
  describe('having flags', () => {
    it('should answer the environment variable each one stands for', () => {
      const answer = readCommandLine(
        [
          '--redis-url',
          'redis://cache:6380',
          '--port',
          '0',
          '--host=0.0.0.0',
          '--queues',
          'a,b',
          '--config',
          'qw.json',
          '--allow-anonymous',
        ],
        '1.2.3',
      );
      expect(answer).to.deep.equal({
        kind: 'run',
        settings: {
          REDIS_URL: 'redis://cache:6380',
          PORT: '0',
          HOST: '0.0.0.0',
          QUEUEWATCH_QUEUES: 'a,b',
          QUEUEWATCH_CONFIG: 'qw.json',
          QUEUEWATCH_ALLOW_ANONYMOUS: 'true',
        },
      });
    });

    it("should answer the Redis connection's TLS and Sentinel settings", () => {
      const answer = readCommandLine(
        [
          '--redis-sentinels',
          '10.0.0.5:26379,10.0.0.6:26379',
          '--redis-sentinel-name=queues',
          '--redis-tls-ca-file',
          'ca.pem',
          '--redis-tls-cert-file',
          'client.pem',
          '--redis-tls-key-file',
          'client.key',
          '--redis-tls-servername',
          'redis.internal',
        ],
        '1.2.3',
      );
      expect(answer).to.deep.equal({
        kind: 'run',
        settings: {
          REDIS_SENTINELS: '10.0.0.5:26379,10.0.0.6:26379',
          REDIS_SENTINEL_NAME: 'queues',
          REDIS_TLS_CA_FILE: 'ca.pem',
          REDIS_TLS_CERT_FILE: 'client.pem',
          REDIS_TLS_KEY_FILE: 'client.key',
          REDIS_TLS_SERVERNAME: 'redis.internal',
        },
      });
    });

    it('should answer no settings for no flags', () => {
      expect(readCommandLine([], '1.2.3')).to.deep.equal({ kind: 'run', settings: {} });
    });

    it('should map every flag onto a variable the config loader checks', () => {
      for (const flag of commandLineFlags) {
        expect(Object.keys(envSchema.shape), flag.flags).to.include(flag.env);
      }
    });
  });

  describe('having --help or --version', () => {
    it('should print the help on stdout, naming each flag with its variable, and exit 0', () => {
      const answer = exitOf(['--help']);
      expect(answer.code).to.equal(0);
      expect(answer.stderr).to.equal('');
      expect(answer.stdout).to.match(/^Usage: queuewatch \[options\]/);
      expect(answer.stdout).to.match(/--port <port>\s+HTTP port; 0 picks a free one \(PORT\)/);
    });

    it('should print the version it is given and exit 0', () => {
      expect(exitOf(['--version'])).to.deep.equal({
        kind: 'exit',
        code: 0,
        stdout: '1.2.3\n',
        stderr: '',
      });
    });
  });

  describe('having a wrong flag or value', () => {
    it('should exit 2 with one line for each', () => {
      const cases: [string[], string][] = [
        [['--prot', '3'], "queuewatch: unknown option '--prot' (Did you mean --port?)\n"],
        [['--port'], "queuewatch: option '--port <port>' argument missing\n"],
        [
          ['--port', 'eighty'],
          'queuewatch: invalid command line: --port="eighty": expected a whole number from 0 to 65535\n',
        ],
        [['--port', ''], 'queuewatch: invalid command line: --port: expected a value\n'],
        [
          ['--queues', 'a:b'],
          'queuewatch: invalid command line: --queues="a:b": a queue name has no colon or white space\n',
        ],
        [
          ['--log-level', 'loud'],
          'queuewatch: invalid command line: --log-level="loud": Invalid option: expected one of "fatal"|"error"|"warn"|"info"|"debug"|"trace"|"silent"\n',
        ],
        [
          ['--redis-sentinels', 'sentinel-a'],
          'queuewatch: invalid command line: --redis-sentinels="sentinel-a": expected Sentinels as host:port,host:port (like 10.0.0.5:26379)\n',
        ],
        [['serve'], 'queuewatch: too many arguments. Expected 0 arguments but got 1.\n'],
      ];
      for (const [args, line] of cases) {
        expect(exitOf(args), args.join(' ')).to.deep.equal({
          kind: 'exit',
          code: 2,
          stdout: '',
          stderr: line,
        });
      }
    });

    it('should not write a Redis URL back, which may hold a password', () => {
      const answer = exitOf(['--redis-url', 'http://user:hunter2@cache:6379']);
      expect(answer.code).to.equal(2);
      expect(answer.stderr).to.equal(
        'queuewatch: invalid command line: --redis-url: expected a URL like redis://host:6379 or rediss://user:pass@host:6380/0\n',
      );
    });
  });
});

describe('packageVersion', () => {
  it("should answer the version in the package's package.json", async () => {
    const text = await readFile(new URL('../../../package.json', import.meta.url), 'utf8');
    expect(packageVersion()).to.equal((JSON.parse(text) as { version: string }).version);
  });
});
