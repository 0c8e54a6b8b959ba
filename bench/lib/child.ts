import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** A TypeScript file of bench/processes run as its own Node process. */
export interface Child {
  readonly process: ChildProcess;
  /** Resolves with the first stdout line matching `ready`'s pattern. */
  readonly ready: Promise<RegExpExecArray>;
  /** Resolves when the process has exited. */
  readonly exited: Promise<number | null>;
  stop(): Promise<void>;
}

/** Start `bench/processes/<name>.ts` with this environment; `ready` matches its stdout. */
export function startChild(name: string, env: Record<string, string>, ready: RegExp): Child {
  const file = fileURLToPath(new URL(`../processes/${name}.ts`, import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', file], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  let output = '';
  const readyPromise = new Promise<RegExpExecArray>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = ready.exec(output);
      if (match) resolve(match);
    });
    void exited.then((code) => {
      reject(new Error(`${name} exited with ${String(code)} before it was ready:\n${output}`));
    });
  });
  return {
    process: child,
    ready: readyPromise,
    exited,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
