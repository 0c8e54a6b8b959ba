import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect } from 'chai';
import { packageRoot } from '../../../src/bootstrap/package-root.js';

describe('packageRoot', () => {
  let folder: string;

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'qw-root-'));
  });
  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('should find the nearest package.json above a file, at any depth', async () => {
    await writeFile(join(folder, 'package.json'), '{}');
    await mkdir(join(folder, 'dist', 'bootstrap', 'config'), { recursive: true });
    await mkdir(join(folder, 'dist', 'server'), { recursive: true });
    const tscFile = pathToFileURL(join(folder, 'dist', 'bootstrap', 'config', 'load-config.js'));
    const bundleFile = pathToFileURL(join(folder, 'dist', 'server', 'main.js'));
    expect(packageRoot(tscFile.href)).to.equal(folder);
    expect(packageRoot(bundleFile.href)).to.equal(folder);
  });

  it('should stop at the nearest one, for a package installed inside another', async () => {
    const installed = join(folder, 'node_modules', 'queuewatch');
    await writeFile(join(folder, 'package.json'), '{}');
    await mkdir(join(installed, 'dist', 'server'), { recursive: true });
    await writeFile(join(installed, 'package.json'), '{}');
    expect(packageRoot(pathToFileURL(join(installed, 'dist', 'server', 'main.js')).href)).to.equal(
      installed,
    );
  });

  it('should find this project from its own sources', () => {
    expect(packageRoot()).to.equal(join(import.meta.dirname, '..', '..', '..'));
  });
});
