import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { expect } from 'chai';
import { infoLevel, parseLogLine, type LogLine } from '../support/queuewatch-process.js';
import { useRedisServer } from '../support/redis-harness.js';

interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Run `src/bootstrap/main.ts` as a user would (through tsx), with this environment and these
 * arguments; with `until`, send SIGTERM once the output so far satisfies it.
 */
function runMain(
  env: Record<string, string>,
  until?: (stdout: string) => boolean,
  args: readonly string[] = [],
): Promise<Finished> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/bootstrap/main.ts', ...args], {
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'silent', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    if (until?.(stdout)) child.kill('SIGTERM');
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve) => {
    child.on('exit', (code) => {
      resolve({ code, stdout, stderr });
    });
  });
}

describe('queuewatch command line', () => {
  const redis = useRedisServer();

  it('should refuse a bad value with one line naming it and exit code 2', async () => {
    const result = await runMain({ PORT: 'eighty' });
    expect(result.code).to.equal(2);
    expect(result.stderr).to.equal(
      'queuewatch: invalid environment: PORT="eighty": expected a whole number from 0 to 65535\n',
    );
  });

  it('should refuse a QUEUEWATCH_ALLOWED_ORIGINS that is not a list of origins, exit code 2', async () => {
    const result = await runMain({ QUEUEWATCH_ALLOWED_ORIGINS: 'https://ops.example.com/admin' });
    expect(result.code).to.equal(2);
    expect(result.stderr).to.equal(
      'queuewatch: invalid environment: QUEUEWATCH_ALLOWED_ORIGINS="https://ops.example.com/admin": ' +
        'expected origins like https://ops.example.com (scheme, host and port; no path)\n',
    );
  });

  it('should refuse a malformed REDIS_URL with one line and no stack trace', async () => {
    const result = await runMain({ REDIS_URL: 'localhost:6379' });
    expect(result.code).to.equal(2);
    expect(result.stderr.trim().split('\n')).to.have.length(1);
    expect(result.stderr).to.contain('REDIS_URL');
    expect(result.stderr).to.not.contain('    at ');
  });

  it('should refuse a port in use with one line and exit code 1', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const address = blocker.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    try {
      const result = await runMain({ REDIS_URL: redis().url, PORT: String(port) });
      expect(result.code).to.equal(1);
      expect(result.stderr).to.equal(
        `queuewatch: port ${String(port)} on 127.0.0.1 is already in use; set PORT to a free port\n`,
      );
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it('should answer --help and --version on stdout and exit 0', async () => {
    const help = await runMain({}, undefined, ['--help']);
    expect(help.code).to.equal(0);
    expect(help.stderr).to.equal('');
    expect(help.stdout).to.match(/^Usage: queuewatch \[options\]/);
    expect(help.stdout).to.contain('--redis-url <url>');
    const version = await runMain({}, undefined, ['--version']);
    expect(version.code).to.equal(0);
    const { version: expected } = JSON.parse(
      await readFile(new URL('../../package.json', import.meta.url), 'utf8'),
    ) as { version: string };
    expect(version.stdout).to.equal(`${expected}\n`);
  });

  it('should refuse an unknown flag and a wrong value with one line and exit code 2', async () => {
    const unknown = await runMain({}, undefined, ['--redis-uri', 'redis://127.0.0.1:6379']);
    expect(unknown.code).to.equal(2);
    expect(unknown.stdout).to.equal('');
    expect(unknown.stderr).to.equal(
      "queuewatch: unknown option '--redis-uri' (Did you mean --redis-url?)\n",
    );
    const wrong = await runMain({}, undefined, ['--port', 'eighty']);
    expect(wrong.code).to.equal(2);
    expect(wrong.stderr).to.equal(
      'queuewatch: invalid command line: --port="eighty": expected a whole number from 0 to 65535\n',
    );
  });

  it('should let flags win over the environment variables they stand for', async () => {
    const serving = (line: string) => line.includes('"msg":"Queuewatch is serving"');
    const result = await runMain(
      // Each of these would stop or spoil the start: the flags must be what counts.
      { REDIS_URL: 'redis://127.0.0.1:1', PORT: 'eighty', QUEUEWATCH_QUEUES: 'from-env' },
      (out) => out.split('\n').some(serving),
      ['--redis-url', redis().url, '--port', '0', '--queues', 'a,b', '--log-level', 'info'],
    );
    expect(result.code, result.stderr).to.equal(0);
    const logs = result.stdout.trim().split('\n').map(parseLogLine);
    const served = logs.find((log) => log.msg === 'Queuewatch is serving');
    expect(served?.queues).to.deep.equal(['a', 'b']);
    expect(served?.url).to.match(/^http:\/\/127\.0\.0\.1:[1-9]\d*$/);
    // Logged before "serving" when Redis did not answer: the environment's port 1 was not used.
    expect(logs.map((log) => log.msg)).to.not.include(
      'Redis is not reachable yet; serving anyway and reporting it unhealthy',
    );
  });

  it('should write only JSON log lines on stdout, its URL in the info line, and exit 0 on SIGTERM', async () => {
    const serving = (line: string) => line.includes('"msg":"Queuewatch is serving"');
    const result = await runMain({ REDIS_URL: redis().url, PORT: '0', LOG_LEVEL: 'info' }, (out) =>
      out.split('\n').some(serving),
    );
    expect(result.code).to.equal(0);
    const lines = result.stdout.split('\n');
    expect(lines.pop(), 'stdout ends with a newline').to.equal('');
    const logs: LogLine[] = lines.map(parseLogLine);
    const served = logs.find((log) => log.msg === 'Queuewatch is serving');
    expect(served?.level).to.equal(infoLevel);
    expect(served?.url).to.match(/^http:\/\/127\.0\.0\.1:[1-9]\d*$/);
  });
});
