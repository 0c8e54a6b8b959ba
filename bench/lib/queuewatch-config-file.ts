import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Write a Queuewatch config file (`QUEUEWATCH_CONFIG`) in a folder of its own; its path. */
export async function writeQueuewatchConfig(name: string, config: object): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'qw-bench-config-'));
  const path = join(dir, `${name}.json`);
  await writeFile(path, `${JSON.stringify(config, null, 2)}\n`);
  return path;
}
