import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../src/demo/redis-server-process.js';
import { waitFor } from './wait-for.js';

const installHint =
  "Prometheus is missing: install Debian's package (`apt-get install -y prometheus`; .ci/run does).";

/** `promtool check metrics` on a scrape's text: its exit code and what it said. */
export function promtoolCheckMetrics(text: string): { status: number | null; output: string } {
  const result = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
  if (result.error) throw new Error(`${installHint} (${result.error.message})`);
  return { status: result.status, output: `${result.stdout}${result.stderr}`.trim() };
}

/** A real Prometheus server (Debian's package) scraping one target every second. */
export class PrometheusServer {
  private constructor(
    private readonly child: ChildProcess,
    private readonly dir: string,
    readonly url: string,
  ) {}

  /** Start one that scrapes `target` (`host:port`), and wait until it is ready. */
  static async start(target: string): Promise<PrometheusServer> {
    const dir = await mkdtemp(join(tmpdir(), 'qw-prometheus-'));
    const config = join(dir, 'prometheus.yml');
    await writeFile(
      config,
      [
        'global:',
        '  scrape_interval: 1s',
        'scrape_configs:',
        '  - job_name: queuewatch',
        '    static_configs:',
        `      - targets: ['${target}']`,
        '',
      ].join('\n'),
    );
    const port = await freePort();
    const child = spawn(
      'prometheus',
      [
        `--config.file=${config}`,
        `--storage.tsdb.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${String(port)}`,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let output = '';
    child.stderr.on('data', (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-4_000);
    });
    const failed = new Promise<never>((_, reject) => {
      child.once('error', (error) => {
        reject(new Error(`${installHint} (${error.message})`));
      });
      child.once('exit', (code) => {
        reject(new Error(`prometheus exited with ${String(code)}:\n${output}`));
      });
    });
    const url = `http://127.0.0.1:${String(port)}`;
    const server = new PrometheusServer(child, dir, url);
    try {
      await Promise.race([
        failed,
        waitFor(
          'Prometheus to be ready',
          () =>
            fetch(`${url}/-/ready`).then(
              (response) => response.status,
              () => 0,
            ),
          (status) => status === 200,
          30_000,
        ),
      ]);
    } catch (error) {
      await server.stop();
      throw error;
    }
    failed.catch(() => undefined);
    return server;
  }

  /** An instant PromQL query: each series' labels and value. */
  async query(promql: string): Promise<{ metric: Record<string, string>; value: number }[]> {
    const response = await fetch(`${this.url}/api/v1/query?query=${encodeURIComponent(promql)}`);
    const body = (await response.json()) as {
      data?: { result?: { metric: Record<string, string>; value: [number, string] }[] };
    };
    return (body.data?.result ?? []).map((series) => ({
      metric: series.metric,
      value: Number(series.value[1]),
    }));
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const exited = new Promise((resolve) => this.child.once('exit', resolve));
      this.child.kill('SIGTERM');
      await exited;
    }
    await rm(this.dir, { recursive: true, force: true });
  }
}
