import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import Module from 'node:module';
import { basename, dirname, join } from 'node:path';
import { Script } from 'node:vm';

/**
 * Loads the compiled validator modules (`<group>_<version>.validate.js`, 12 MB
 * of Ajv's standalone code) through V8's code cache.
 *
 * Without it every run parses those modules and compiles each check the
 * first time it runs: on the declared fleet that was most of a run of
 * `npm run validate`, and as much again in the check `npm run synth` makes,
 * while validating the 526 documents once compiled takes a few tens of
 * milliseconds. With it, a run after the first reads the code V8 compiled in
 * the previous run (what `require` would compile, nothing else: the cache
 * holds V8's bytecode of the same source, never a result).
 *
 * V8 checks a cache against its own version and flags and the source's
 * length only, so each cache file is named after a hash of the module's
 * text, the Node version and the process flags: a regenerated module never
 * meets another's cache. A cache V8 refuses anyway is ignored and written
 * again. Writing is best effort (a read-only checkout just compiles). Each
 * module keeps its few most recent caches (a module changes, Node is
 * upgraded, jest runs with other flags than the commands): older ones go.
 */
export class CodeCache {
  /** Cache files to write, with the script whose code they are, once its checks have run. */
  private readonly unsaved = new Map<string, Script>();
  private hits = 0;

  /** @param dir folder of the cache files; created when first written. */
  constructor(readonly dir: string) {}

  /** Number of modules loaded from the cache so far (for tests and the benchmark). */
  get cachedLoads(): number {
    return this.hits;
  }

  /** The module's exports, as `require(file)` would give them. */
  load(file: string): unknown {
    const source = readFileSync(file, 'utf8');
    const cacheFile = join(this.dir, `${basename(file)}.${cacheKey(source)}.bin`);
    const cachedData = existsSync(cacheFile) ? readFileSync(cacheFile) : undefined;
    const script = new Script(Module.wrap(source), { filename: file, cachedData });
    if (cachedData && !script.cachedDataRejected) this.hits++;
    else this.unsaved.set(cacheFile, script);
    const module = { exports: {} as unknown };
    const moduleFunction = script.runInThisContext() as (
      exports: unknown,
      require: NodeJS.Require,
      module: { exports: unknown },
      filename: string,
      dirname: string,
    ) => void;
    moduleFunction(module.exports, Module.createRequire(file), module, file, dirname(file));
    return module.exports;
  }

  /**
   * Writes the cache of every module loaded without one. Called after
   * validating, so the cache holds the checks V8 compiled while running
   * them, not just the top level of the module.
   */
  save(): void {
    for (const [cacheFile, script] of this.unsaved) {
      try {
        mkdirSync(this.dir, { recursive: true });
        // Written aside and renamed, so a process reading at the same time never sees half a file.
        const partial = `${cacheFile}.${process.pid}.tmp`;
        writeFileSync(partial, script.createCachedData());
        renameSync(partial, cacheFile);
        this.prune(cacheFile);
      } catch {
        // Best effort: without a cache the next run compiles, as it would have.
      }
    }
    this.unsaved.clear();
  }

  /** Keeps the cache just written and the most recent others of its module, KEPT_PER_MODULE in all. */
  private prune(written: string): void {
    const module = basename(written).replace(/\.[0-9a-f]+\.bin$/, '');
    const others = readdirSync(this.dir)
      .filter((name) => name.startsWith(`${module}.`) && name.endsWith('.bin'))
      .map((name) => join(this.dir, name))
      .filter((path) => path !== written)
      .map((path) => ({ path, writtenAt: statSync(path).mtimeMs }))
      .sort((a, b) => b.writtenAt - a.writtenAt);
    for (const old of others.slice(KEPT_PER_MODULE - 1)) rmSync(old.path, { force: true });
  }
}

/** Caches kept per module: enough for the commands' and the tests' flags side by side. */
const KEPT_PER_MODULE = 3;

/**
 * The process flags that bear on V8's code: all but `--snapshot-blob FILE`,
 * which says only where the heap of a run of `npm run validate` comes from
 * (tools/run-bundled.cjs) and which its worker threads inherit. Counted, it
 * gave those workers a cache of their own that nobody wrote, so each
 * compiled all its checks on every run.
 */
export function codeFlags(execArgv: readonly string[] = process.execArgv): string[] {
  return execArgv.filter(
    (flag, i) => !flag.startsWith('--snapshot-blob') && execArgv[i - 1] !== '--snapshot-blob',
  );
}

/** Hash of what makes V8's code for a module valid: its text, the Node version, the process flags. */
function cacheKey(source: string): string {
  return createHash('sha256')
    .update(`${process.version}\0${process.arch}\0${codeFlags().join(' ')}\0`)
    .update(source)
    .digest('hex')
    .slice(0, 24);
}
