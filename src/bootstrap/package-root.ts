import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folder of Queuewatch's own package.json: the nearest one above this file. The same code runs
 * from src/ (tsx), from dist/ as tsc compiles it (the library) and from dist/server/ as one bundle
 * (the command), each at its own depth, so the folder is found rather than counted.
 */
export function packageRoot(from: string = import.meta.url): string {
  const start = dirname(fileURLToPath(from));
  for (let folder = start; ; folder = dirname(folder)) {
    if (existsSync(join(folder, 'package.json'))) return folder;
    if (dirname(folder) === folder) {
      throw new Error(`no package.json in ${start} or any folder above it`);
    }
  }
}
