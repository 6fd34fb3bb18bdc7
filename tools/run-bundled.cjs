/**
 * node tools/run-bundled.cjs tools/<command>/cli.ts [ARGS...]
 *
 * Runs a command of tools/ from one JavaScript bundle of its TypeScript
 * instead of through tsx. tsx compiles every module of the command through
 * its hooks on each start (its own loading, esbuild's API, a lookup and a
 * transform per file, source maps): a third of `npm run validate` on the
 * declared fleet. The bundle is built by esbuild (tsx's own compiler) the
 * first time, into node_modules/.cache/bundles (never committed, so a clean
 * checkout builds it on its first run after `npm ci`), and built again
 * whenever a file it was made from changes: each run compares the size and
 * modification time of every input (the command's modules and the packages
 * bundled with it), and the content hash of any whose stat differs.
 *
 * In the bundle each module's `__dirname` is its own folder, as under tsx,
 * so paths such as tools/tree/layout.ts's DIST_DIR mean the same. Packages
 * a command loads only on a rare path (Ajv, which compiles a schema with no
 * compiled check) stay outside, loaded from node_modules when needed.
 * Where the cache folder cannot be written, the bundle is built into a
 * temporary folder for the run.
 */
'use strict';
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const REPO = path.join(__dirname, '..');
const CACHE_DIR = path.join(REPO, 'node_modules', '.cache', 'bundles');
/** Loaded from node_modules at run time, not bundled (see above). */
const EXTERNAL = ['ajv', 'ajv/*', 'esbuild'];
/** Changes when the build below changes, so an older bundle is rebuilt. */
const BUILD_VERSION = 1;

function sha256(file) {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/** The stamp of a bundle: how it was built and, per input, its size, mtime and hash. */
function readStamp(stampFile) {
  try {
    return JSON.parse(fs.readFileSync(stampFile, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Whether the bundle was built by this build from inputs that are all as they were. */
function isCurrent(bundle, stampFile) {
  const stamp = readStamp(stampFile);
  if (!stamp || stamp.build !== BUILD_VERSION || stamp.repo !== REPO || !fs.existsSync(bundle)) return false;
  for (const [file, was] of Object.entries(stamp.inputs)) {
    let stat;
    try {
      stat = fs.statSync(path.join(REPO, file));
    } catch {
      return false;
    }
    if (stat.size === was.size && stat.mtimeMs === was.mtimeMs) continue;
    if (stat.size !== was.size || sha256(path.join(REPO, file)) !== was.sha256) return false;
  }
  return true;
}

/** Gives each TypeScript module of the repository its own folder as `__dirname`, as tsx does. */
const ownDirname = {
  name: 'own-dirname',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, (args) => {
      if (args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
      const source = fs.readFileSync(args.path, 'utf8');
      return {
        contents: source.replace(/\b__dirname\b/g, JSON.stringify(path.dirname(args.path))),
        loader: 'ts',
      };
    });
  },
};

/** Builds the bundle of `entry` into `bundle`, and its stamp. */
async function build(entry, bundle, stampFile) {
  const esbuild = require('esbuild');
  const result = await esbuild.build({
    absWorkingDir: REPO,
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: `node${process.versions.node.split('.')[0]}`,
    external: EXTERNAL,
    // A map beside the bundle: with NODE_OPTIONS=--enable-source-maps a stack trace names the TypeScript lines.
    sourcemap: true,
    metafile: true,
    outfile: bundle,
    write: false,
    plugins: [ownDirname],
    logLevel: 'silent',
  });
  const inputs = {};
  for (const file of Object.keys(result.metafile.inputs)) {
    const stat = fs.statSync(path.join(REPO, file));
    inputs[file] = { size: stat.size, mtimeMs: stat.mtimeMs, sha256: sha256(path.join(REPO, file)) };
  }
  fs.mkdirSync(path.dirname(bundle), { recursive: true });
  // Each file written aside and renamed, so a run starting meanwhile never reads half a bundle.
  const place = (file, contents) => {
    const partial = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(partial, contents);
    fs.renameSync(partial, file);
  };
  for (const output of result.outputFiles) place(output.path, output.contents);
  place(stampFile, JSON.stringify({ build: BUILD_VERSION, repo: REPO, inputs }));
}

/** The current bundle of `entry`, built first when needed. */
async function bundleOf(entry) {
  const name = path.relative(REPO, entry).replace(/\.ts$/, '').replace(/[\\/]/g, '_');
  const bundle = path.join(CACHE_DIR, `${name}.js`);
  const stampFile = path.join(CACHE_DIR, `${name}.inputs.json`);
  if (isCurrent(bundle, stampFile)) return bundle;
  try {
    await build(entry, bundle, stampFile);
    return bundle;
  } catch (error) {
    if (!['EACCES', 'EPERM', 'EROFS'].includes(error.code)) throw error;
    const temporary = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bundle-')), `${name}.js`);
    await build(entry, temporary, `${temporary}.inputs.json`);
    return temporary;
  }
}

const [entryArgument, ...args] = process.argv.slice(2);
if (!entryArgument) {
  console.error('usage: node tools/run-bundled.cjs tools/<command>/cli.ts [ARGS...]');
  process.exit(2);
}
const entry = path.resolve(REPO, entryArgument);
// The command reads its arguments from process.argv.slice(2), as when started directly.
process.argv = [process.argv[0], entry, ...args];
bundleOf(entry).then(require, (error) => {
  console.error(`cannot bundle ${entryArgument}: ${error.message}`);
  process.exitCode = 2;
});
