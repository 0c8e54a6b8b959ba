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

/** Start one and wait until it prints its URL. With QW_DEBUG_CHILD set, its warnings are shown. */
export function startQueuewatchProcess(env: Record<string, string>): Promise<QueuewatchProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/bootstrap/main.ts'], {
    env: {
      PATH: process.env.PATH ?? '',
      PORT: '0',
      LOG_LEVEL: process.env.QW_DEBUG_CHILD ? 'warn' : 'silent',
      ...env,
    },
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
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (process.env.QW_DEBUG_CHILD) process.stderr.write(chunk);
      const url = /running at (http:\/\/\S+)/.exec(output)?.[1];
      if (url) resolve({ child, url, stop: () => end('SIGTERM'), kill: () => end('SIGKILL') });
    });
    child.once('exit', (code) => {
      reject(new Error(`Queuewatch exited with ${String(code)} before serving:\n${output}`));
    });
  });
}
