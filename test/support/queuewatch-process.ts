import { spawn, type ChildProcess } from 'node:child_process';

/** A Queuewatch started as a user starts it: `src/bootstrap/main.ts` in a process of its own. */
export interface QueuewatchProcess {
  readonly child: ChildProcess;
  readonly url: string;
  /** SIGTERM, and wait for the exit. */
  stop(): Promise<void>;
  /** SIGKILL, as a crash would, and wait for the exit. */
  kill(): Promise<void>;
}

/** One line of Queuewatch's log (pino's JSON): the fields the tests read. */
export interface LogLine {
  readonly level: number;
  readonly msg: string;
  readonly url?: string;
  readonly [field: string]: unknown;
}

/** The level number pino writes for `info`. */
export const infoLevel = 30;

/** A stdout line as a log line; throws, naming the line, when it is not one. */
export function parseLogLine(line: string): LogLine {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    throw new Error(`a stdout line is not JSON: ${JSON.stringify(line)}`);
  }
  if (
    typeof parsed !== 'object' ||
    parsed === null ||
    typeof (parsed as { level?: unknown }).level !== 'number' ||
    typeof (parsed as { msg?: unknown }).msg !== 'string'
  ) {
    throw new Error(`a stdout line is not a log line: ${line}`);
  }
  return parsed as LogLine;
}

/** Calls `onLine` with each complete line of a stream, however the chunks split it. */
export function eachLine(stream: NodeJS.ReadableStream, onLine: (line: string) => void): void {
  let pending = '';
  stream.on('data', (chunk: Buffer) => {
    pending += chunk.toString();
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) onLine(line);
  });
}

/**
 * Start one and wait for its `Queuewatch is serving` log line, which says its URL. The child logs
 * at `info` (that line's level); with QW_DEBUG_CHILD set, its log lines are shown on stderr.
 */
export function startQueuewatchProcess(env: Record<string, string>): Promise<QueuewatchProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/bootstrap/main.ts'], {
    env: { PATH: process.env.PATH ?? '', PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      resolve();
    }),
  );
  const end = async (signal: NodeJS.Signals): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  return new Promise((resolve, reject) => {
    const lines: string[] = [];
    let serving = false;
    eachLine(child.stdout, (line) => {
      if (process.env.QW_DEBUG_CHILD) process.stderr.write(`${line}\n`);
      if (serving) return;
      lines.push(line);
      let log: LogLine;
      try {
        log = parseLogLine(line);
      } catch (error) {
        child.kill('SIGKILL');
        reject(error instanceof Error ? error : new Error(String(error)));
        return;
      }
      if (log.msg === 'Queuewatch is serving' && typeof log.url === 'string') {
        serving = true;
        resolve({ child, url: log.url, stop: () => end('SIGTERM'), kill: () => end('SIGKILL') });
      }
    });
    child.once('exit', (code) => {
      reject(
        new Error(`Queuewatch exited with ${String(code)} before serving:\n${lines.join('\n')}`),
      );
    });
  });
}

/**
 * Start Queuewatch as a user would, expecting it to refuse to start: resolves with its exit code
 * and what it wrote on stderr.
 */
export async function startExpectingExit(
  env: Record<string, string>,
): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/bootstrap/main.ts'], {
    env: { PATH: process.env.PATH ?? '', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { code, stderr };
}
