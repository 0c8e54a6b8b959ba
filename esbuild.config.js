// The `queuewatch` command as users run it: the compiled entry (tsc's dist/bootstrap/main.js) and
// every module it imports, Queuewatch's and its dependencies', bundled by esbuild into a few files
// under dist/server/. Node then reads a few files instead of resolving, reading and linking about
// 1,200 modules one by one, which was most of the time from spawn to ready, and keeps less code in
// memory. The library entry (dist/index.js) stays as tsc compiles it, for applications that embed
// Queuewatch and bring their own bundler. docs/adr/0012-the-command-as-one-bundle.md.
//
//   node esbuild.config.js [entry] [outdir]    (npm run build: dist/bootstrap/main.js → dist/server)
import { build } from 'esbuild';
import { basename } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

/**
 * The bundle is an ES module, and some dependencies are CommonJS: they call `require` for Node's
 * own modules and read `__dirname`, neither of which an ES module has. This gives them both, for
 * the bundle's own file.
 */
const commonJsGlobals = [
  "import { createRequire as __queuewatchCreateRequire } from 'node:module';",
  "import { fileURLToPath as __queuewatchFileURLToPath } from 'node:url';",
  'const require = __queuewatchCreateRequire(import.meta.url);',
  'const __filename = __queuewatchFileURLToPath(import.meta.url);',
  "const __dirname = __queuewatchFileURLToPath(new URL('.', import.meta.url));",
].join(' ');

/**
 * Native addons, and the packages that find their compiled files beside their own code: left out
 * of the bundle and loaded from node_modules, where those files are. (msgpackr, inside BullMQ,
 * uses msgpackr-extract when it loads, and its plain JavaScript when it does not.)
 */
const nativeAddons = ['msgpackr-extract', 'bufferutil', 'utf-8-validate'];

/**
 * Bundle `entry` into `outdir`, the entry keeping its file name. Modules imported only on demand
 * (the OpenAPI document, nodemailer) go to chunks of their own, read when first asked for.
 * Whitespace and syntax are minified, names are not: stack traces still name the functions.
 * @param {string} entry
 * @param {string} outdir
 */
export async function bundleServer(entry, outdir) {
  await build({
    entryPoints: [entry],
    outdir,
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    minifyWhitespace: true,
    minifySyntax: true,
    sourcemap: true,
    external: nativeAddons,
    banner: { js: commonJsGlobals },
    logLevel: 'warning',
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [entry = 'dist/bootstrap/main.js', outdir = 'dist/server'] = process.argv.slice(2);
  await bundleServer(entry, outdir);
  process.stdout.write(`bundled ${entry} into ${outdir}/${basename(entry)}\n`);
}
