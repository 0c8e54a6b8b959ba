import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
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

/** A file of bench/processes, compiled to JavaScript, run as its own Node process. */
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

/**
 * Where `npm run bench` compiles bench/processes and the src they import, before it runs
 * bench/run.ts (`tsc -p bench/tsconfig.build.json`): children run as plain JavaScript, without tsx
 * compiling them at start-up. Queuewatch's own process is then bundled, as `npm run build` bundles
 * the `queuewatch` command users run (`node dist/server/main.js`): the bench runs that bundle.
 */
const buildDir = new URL('../../.bench-build/', import.meta.url);
const processesDir = new URL('../processes/', import.meta.url);
const buildCommand = 'tsc -p bench/tsconfig.build.json';
const bundled: Readonly<Record<string, string>> = {
  'queuewatch-server': `node esbuild.config.js .bench-build/bench/processes/queuewatch-server.js .bench-build/server`,
};

/**
 * The compiled file of `bench/processes/<name>.ts`, its bundle for Queuewatch's process unless
 * `unbundled`; throws, saying how to build it, if missing.
 */
export function compiledProcess(name: string, unbundled = false): string {
  const bundle = unbundled ? undefined : bundled[name];
  const file = fileURLToPath(
    new URL(bundle === undefined ? `bench/processes/${name}.js` : `server/${name}.js`, buildDir),
  );
  if (!existsSync(file)) {
    const how = bundle === undefined ? `npx ${buildCommand}` : `npx ${buildCommand} && ${bundle}`;
    throw new Error(
      `${file} is missing: the bench runs its processes compiled. Build them with \`${how}\` (\`npm run bench\` does it first).`,
    );
  }
  return file;
}

/** Throws (see compiledProcess) unless every file of bench/processes has been compiled. */
export function checkCompiledProcesses(): void {
  for (const file of readdirSync(processesDir)) {
    if (file.endsWith('.ts')) compiledProcess(file.slice(0, -'.ts'.length));
  }
}

/** Start compiled `bench/processes/<name>.ts` with this environment; `ready` matches its stdout. */
export function startChild(
  name: string,
  env: Record<string, string>,
  ready: RegExp,
  options: ChildOptions = {},
): Child {
  // A CPU profile names each function's file: tsc's output keeps one file per module, so the
  // profile says which package each function is from; a bundle would put them all in one file.
  const file = compiledProcess(name, options.nodeArgs?.includes('--cpu-prof') === true);
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), file], {
    // A child the bench gives no Redis must not find one by default (Queuewatch's and BullMQ's
    // default is 127.0.0.1:6379, which may be someone else's): port 1 refuses every connection.
    env: { REDIS_URL: 'redis://127.0.0.1:1', ...process.env, ...env },
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
