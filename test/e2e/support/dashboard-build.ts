import { execFile } from 'node:child_process';
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const root = join(import.meta.dirname, '..', '..', '..');

let built: Promise<void> | undefined;

/**
 * Run `vite build web` once per run (about a second), so the suite always tests the current
 * dashboard; the server itself runs from src/ through tsx and needs no build. A child process,
 * because Vite's bundler does not resolve its own files under the tsx loader.
 */
export function buildDashboard(): Promise<void> {
  built ??= (async () => {
    await promisify(execFile)(join(root, 'node_modules', '.bin', 'vite'), ['build', 'web'], {
      cwd: root,
    }).catch((error: unknown) => {
      const output = error instanceof Error && 'stderr' in error ? String(error.stderr) : '';
      throw new Error(`vite build web failed: ${output || String(error)}`);
    });
    await access(join(root, 'web', 'dist', 'index.html')).catch(() => {
      throw new Error('vite build web produced no web/dist/index.html');
    });
  })();
  return built;
}
