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
 *
 * node tools/run-bundled.cjs --snapshot tools/<command>/cli.ts [ARGS...]
 *
 * Also starts the command from a V8 startup snapshot of its bundle
 * (`node --build-snapshot`), built beside the bundle the first time and
 * built again when the bundle, a file the command read while building it,
 * the Node version or NODE_OPTIONS change. The command prepares its heap
 * when `v8.startupSnapshot.isBuildingSnapshot()` (loading what every run
 * loads, running it once so V8 compiles it), names the files it read in
 * the file $RUN_BUNDLED_SNAPSHOT_INPUTS and sets its main function with
 * `v8.startupSnapshot.setDeserializeMainFunction`. The run is a second Node
 * process started from the snapshot, with the arguments. When the snapshot
 * cannot be built or used (Node flags given to this process, a bundle
 * outside the cache, a build that fails), the bundle runs as without
 * --snapshot; RUN_BUNDLED_DEBUG=1 says why on stderr.
 */
'use strict';
const { spawnSync } = require('node:child_process');
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
  return inputsUnchanged(stamp.inputs);
}

/** Size, mtime and hash of each file (relative to the repository), for a stamp. */
function describeInputs(files) {
  const inputs = {};
  for (const file of files) {
    const stat = fs.statSync(path.join(REPO, file));
    inputs[file] = { size: stat.size, mtimeMs: stat.mtimeMs, sha256: sha256(path.join(REPO, file)) };
  }
  return inputs;
}

/** Whether every file of a stamp is as it was: same size and mtime, or else same content. */
function inputsUnchanged(stampInputs) {
  for (const [file, was] of Object.entries(stampInputs)) {
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

/** Writes a file aside and renames it, so a run starting meanwhile never reads half of it. */
function place(file, contents) {
  const partial = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(partial, contents);
  fs.renameSync(partial, file);
}

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
  const inputs = describeInputs(Object.keys(result.metafile.inputs));
  fs.mkdirSync(path.dirname(bundle), { recursive: true });
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

/** Changes when the snapshot's build below changes, so an older snapshot is rebuilt. */
const SNAPSHOT_VERSION = 1;

/** What a snapshot must have been built with, besides its input files, to be used. */
function snapshotConditions() {
  return {
    build: SNAPSHOT_VERSION,
    repo: REPO,
    node: process.version,
    arch: process.arch,
    nodeOptions: process.env.NODE_OPTIONS ?? '',
  };
}

/**
 * The snapshot's entry: the bundle run as a CommonJS module with its own
 * file name (so `__filename` still names the bundle, which a worker thread
 * starts from). While the snapshot is built, `require` knows Node's own
 * modules only; a package the bundle leaves outside (EXTERNAL) is required
 * at run time, from the bundle's folder.
 */
function snapshotEntry(bundle) {
  return `'use strict';
// Generated by tools/run-bundled.cjs: the entry of the startup snapshot of ${path.basename(bundle)}.
const { createRequire, wrap } = require('node:module');
const { readFileSync } = require('node:fs');
const { Script } = require('node:vm');
const BUNDLE = ${JSON.stringify(bundle)};
let outside;
function bundleRequire(id) {
  if (id.startsWith('node:')) return require(id);
  try {
    return require(id);
  } catch (error) {
    if (require('node:v8').startupSnapshot.isBuildingSnapshot()) throw error;
    outside ??= createRequire(BUNDLE);
    return outside(id);
  }
}
const module = { exports: {} };
new Script(wrap(readFileSync(BUNDLE, 'utf8')), { filename: BUNDLE })
  .runInThisContext()(module.exports, bundleRequire, module, BUNDLE, ${JSON.stringify(path.dirname(bundle))});
`;
}

/** Says why the snapshot is not used, when RUN_BUNDLED_DEBUG is set. */
function debug(message) {
  if (process.env.RUN_BUNDLED_DEBUG) console.error(`run-bundled: ${message}`);
}

/** The current snapshot of `bundle`, built first when needed; undefined (and why, under debug) when there is none. */
function snapshotOf(bundle) {
  if (process.execArgv.length > 0)
    return debug(`Node flags given (${process.execArgv.join(' ')}): running the bundle`);
  if (path.dirname(bundle) !== CACHE_DIR) return debug('bundle outside the cache folder: running the bundle');
  const base = bundle.replace(/\.js$/, '');
  const blob = `${base}.snapshot.blob`;
  const stampFile = `${base}.snapshot.json`;
  const stamp = readStamp(stampFile);
  const conditions = snapshotConditions();
  const same = stamp && Object.entries(conditions).every(([key, value]) => stamp[key] === value);
  if (same && inputsUnchanged(stamp.inputs)) {
    // A build that failed is tried again only once something it was made from changes.
    if (stamp.failed) return debug(`cannot build the snapshot of ${path.basename(bundle)}: ${stamp.failed}`);
    if (fs.existsSync(blob)) return blob;
  }
  const entryFile = `${base}.snapshot-entry.js`;
  const inputsFile = `${base}.snapshot-inputs.${process.pid}.json`;
  const partialBlob = `${blob}.${process.pid}.tmp`;
  /** The bundle and the files the command read while its snapshot was built. */
  const inputs = () => {
    const read = fs.existsSync(inputsFile) ? JSON.parse(fs.readFileSync(inputsFile, 'utf8')) : [];
    return describeInputs([bundle, ...read].map((file) => path.relative(REPO, file)));
  };
  try {
    place(entryFile, snapshotEntry(bundle));
    const built = spawnSync(
      process.execPath,
      ['--snapshot-blob', partialBlob, '--build-snapshot', entryFile],
      {
        cwd: REPO,
        // Node warns that some of its modules are "not yet fully verified" in a snapshot: the tests say they work.
        env: { ...process.env, RUN_BUNDLED_SNAPSHOT_INPUTS: inputsFile, NODE_NO_WARNINGS: '1' },
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    if (built.error || built.status !== 0) {
      const why = built.error?.message ?? (built.stderr.trim() || `exit code ${built.status}`);
      fs.rmSync(blob, { force: true });
      place(stampFile, JSON.stringify({ ...conditions, inputs: inputs(), failed: why }));
      return debug(`cannot build the snapshot of ${path.basename(bundle)}: ${why}`);
    }
    const stampInputs = inputs();
    fs.renameSync(partialBlob, blob);
    place(stampFile, JSON.stringify({ ...conditions, inputs: stampInputs }));
    return blob;
  } catch (error) {
    return debug(`cannot build the snapshot of ${path.basename(bundle)}: ${error.message}`);
  } finally {
    fs.rmSync(inputsFile, { force: true });
    fs.rmSync(partialBlob, { force: true });
  }
}

/** Runs the command in a Node started from `blob`, with the arguments; false when that Node cannot start. */
function runFromSnapshot(blob, entry, args) {
  const run = spawnSync(process.execPath, ['--snapshot-blob', blob, entry, ...args], { stdio: 'inherit' });
  if (run.error) {
    debug(`cannot start from the snapshot: ${run.error.message}`);
    return false;
  }
  if (run.signal) process.kill(process.pid, run.signal);
  process.exitCode = run.status ?? 1;
  return true;
}

let [entryArgument, ...args] = process.argv.slice(2);
const useSnapshot = entryArgument === '--snapshot';
if (useSnapshot) [entryArgument, ...args] = args;
if (!entryArgument) {
  console.error('usage: node tools/run-bundled.cjs [--snapshot] tools/<command>/cli.ts [ARGS...]');
  process.exit(2);
}
const entry = path.resolve(REPO, entryArgument);
bundleOf(entry).then(
  (bundle) => {
    const blob = useSnapshot ? snapshotOf(bundle) : undefined;
    if (blob && runFromSnapshot(blob, entry, args)) return;
    // The command reads its arguments from process.argv.slice(2), as when started directly.
    process.argv = [process.argv[0], entry, ...args];
    require(bundle);
  },
  (error) => {
    console.error(`cannot bundle ${entryArgument}: ${error.message}`);
    process.exitCode = 2;
  },
);
