import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../src/demo/redis-server-process.js';
import { waitFor } from './wait-for.js';
import { acceptsConnections } from './tcp-port.js';

/** How to get nginx when it is missing. */
const nginxInstallHint = 'nginx is not installed: apt-get install -y nginx-light (Debian/Ubuntu)';

/** The nginx configuration Queuewatch ships (docs/scaling.md). */
const shippedConfig = fileURLToPath(
  new URL('../../docs/deploy/nginx-queuewatch.conf', import.meta.url),
);

/**
 * The shipped configuration, as it is, pointed at `upstreams` (`host:port` each) and listening on
 * `port`; without `ip_hash` unless `ipHash`. Throws when the file no longer has the lines it edits.
 */
export async function shippedProxyConfig(
  upstreams: readonly string[],
  port: number,
  ipHash: boolean,
): Promise<string> {
  const text = await readFile(shippedConfig, 'utf8');
  const servers = /^( *)server 10\.0\.0\.11:3000;\n(?: *server 10\.0\.0\.1\d:3000;\n)*/m;
  const edits: [RegExp, (indent: string) => string][] = [
    [servers, (indent) => upstreams.map((upstream) => `${indent}server ${upstream};\n`).join('')],
    [/^( *)listen 80;$/m, (indent) => `${indent}listen 127.0.0.1:${String(port)};`],
    [/^( *)ip_hash;$/m, (indent) => (ipHash ? `${indent}ip_hash;` : '')],
  ];
  return edits.reduce((config, [pattern, replace]) => {
    if (!pattern.test(config))
      throw new Error(`${shippedConfig} has no line like ${String(pattern)}`);
    return config.replace(pattern, (_, indent: string) => replace(indent));
  }, text);
}

/**
 * A private nginx on a free loopback port running the shipped configuration in front of Queuewatch
 * instances, started from Debian's package with a configuration and folder of its own; never the
 * machine's nginx service.
 */
export class NginxProcess {
  private constructor(
    readonly port: number,
    private readonly dir: string,
    private readonly child: ChildProcess,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${String(this.port)}`;
  }

  /** Start it in front of `upstreams` and wait until it accepts connections. */
  static async launch(
    upstreams: readonly string[],
    options: { readonly ipHash?: boolean } = {},
  ): Promise<NginxProcess> {
    const port = await freePort();
    const dir = await mkdtemp(join(tmpdir(), 'qw-nginx-'));
    const temp = (name: string) => join(dir, name);
    // As root, the workers would run as `nobody` and could not use this private folder.
    const user = process.getuid?.() === 0 ? 'user root;\n' : '';
    await writeFile(
      temp('queuewatch.conf'),
      await shippedProxyConfig(upstreams, port, options.ipHash ?? false),
    );
    await writeFile(
      temp('nginx.conf'),
      `${user}daemon off;
worker_processes 1;
pid ${temp('nginx.pid')};
error_log stderr warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${temp('body')};
  proxy_temp_path ${temp('proxy')};
  fastcgi_temp_path ${temp('fastcgi')};
  uwsgi_temp_path ${temp('uwsgi')};
  scgi_temp_path ${temp('scgi')};
  include ${temp('queuewatch.conf')};
}
`,
    );
    // Debian installs it in /usr/sbin, which is not on every user's PATH.
    const binary = existsSync('/usr/sbin/nginx') ? '/usr/sbin/nginx' : 'nginx';
    const child = spawn(binary, ['-p', dir, '-c', temp('nginx.conf')], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let output = '';
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const failed = new Promise<never>((_, reject) => {
      child.once('error', (error: NodeJS.ErrnoException) => {
        reject(error.code === 'ENOENT' ? new Error(nginxInstallHint) : error);
      });
      child.once('exit', (code) => {
        reject(new Error(`nginx exited with ${String(code)} before it was ready:\n${output}`));
      });
    });
    const started = new NginxProcess(port, dir, child);
    try {
      await Promise.race([
        failed,
        waitFor('nginx to accept connections', () => acceptsConnections(port), Boolean, 10_000),
      ]);
    } catch (error) {
      await started.stop();
      throw error;
    }
    failed.catch(() => undefined);
    return started;
  }

  /** SIGQUIT (nginx's graceful stop), SIGKILL if it lingers; then remove its folder. */
  async stop(): Promise<void> {
    const child = this.child;
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGQUIT');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    await rm(this.dir, { recursive: true, force: true });
  }
}
