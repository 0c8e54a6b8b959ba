import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** A message over the IPC channel of a child: always tagged with its `type`. */
export interface IpcMessage {
  readonly type: string;
  readonly [field: string]: unknown;
}

/** How a child is started. */
export interface ChildOptions {
  /** Open an IPC channel (`process.send` in the child, `ask` here). */
  readonly ipc?: boolean;
  /** Node flags placed before the script (`--expose-gc`, `--cpu-prof`, …). */
  readonly nodeArgs?: readonly string[];
}

/** A TypeScript file of bench/processes run as its own Node process. */
export interface Child {
  readonly name: string;
  readonly process: ChildProcess;
  /** Resolves with the first stdout line matching `ready`'s pattern. */
  readonly ready: Promise<RegExpExecArray>;
  /** Resolves when the process has exited. */
  readonly exited: Promise<number | null>;
  /** Send a message and resolve with the child's first later message of type `replyType`. */
  ask<T extends IpcMessage>(message: IpcMessage, replyType: string, timeoutMs?: number): Promise<T>;
  stop(): Promise<void>;
}

/** Every child still running: killed if the bench itself is stopped or crashes. */
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/** Start `bench/processes/<name>.ts` with this environment; `ready` matches its stdout. */
export function startChild(
  name: string,
  env: Record<string, string>,
  ready: RegExp,
  options: ChildOptions = {},
): Child {
  const file = fileURLToPath(new URL(`../processes/${name}.ts`, import.meta.url));
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), '--import', 'tsx', file], {
    env: { ...process.env, ...env },
    stdio: options.ipc ? ['ignore', 'pipe', 'inherit', 'ipc'] : ['ignore', 'pipe', 'inherit'],
  });
  live.add(child);
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      live.delete(child);
      resolve(code);
    }),
  );
  let output = '';
  const readyPromise = new Promise<RegExpExecArray>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      // Only the start matters; later output (logs) is dropped so a chatty child costs nothing.
      if (output.length > 100_000) return;
      output += chunk.toString();
      const match = ready.exec(output);
      if (match) resolve(match);
    });
    void exited.then((code) => {
      reject(new Error(`${name} exited with ${String(code)} before it was ready:\n${output}`));
    });
  });
  // A rejection nobody awaits yet (the child died after being ready) must not crash the bench.
  readyPromise.catch(() => undefined);
  return {
    name,
    process: child,
    ready: readyPromise,
    exited,
    ask: (message, replyType, timeoutMs = 30_000) =>
      ask(name, child, message, replyType, timeoutMs),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Stop every child still running (SIGINT of the bench). */
export function killAllChildren(): void {
  for (const child of live) child.kill('SIGKILL');
}

function ask<T extends IpcMessage>(
  name: string,
  child: ChildProcess,
  message: IpcMessage,
  replyType: string,
  timeoutMs: number,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onMessage = (reply: unknown): void => {
      if (!isMessage(reply) || reply.type !== replyType) return;
      done();
      resolve(reply as T);
    };
    const onExit = (): void => {
      done();
      reject(new Error(`${name} exited while we waited for "${replyType}"`));
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`${name} sent no "${replyType}" within ${String(timeoutMs)} ms`));
    }, timeoutMs);
    const done = (): void => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
    child.send(message);
  });
}

/** A message a child (or the bench) sent over IPC. */
export function isMessage(value: unknown): value is IpcMessage {
  return (
    typeof value === 'object' && value !== null && typeof (value as IpcMessage).type === 'string'
  );
}
