/**
 * Validation of a large tree on several threads. Reading and parsing the
 * YAML is most of the work on 10,000 files, and one thread leaves the other
 * cores idle; each worker thread takes a consecutive share of the sorted
 * files, so the issues, concatenated share after share, come in the order
 * one thread gives. A worker loads the compiled checks itself (through the
 * same code cache) and checks its files with the same validator, so nothing
 * about what is reported changes, only where it runs.
 *
 * A worker is a new V8 isolate: it pays its start, its own loading of the
 * checks and the first, slow runs of the reader, the YAML writer and the
 * checks again (0.5 to 0.9 s of CPU on 10,000 files, measured). So a small
 * tree stays on one thread (FILES_PER_THREAD), and so does any tree when
 * the machine has no idle core: on a 2-core machine shared with other
 * work (load average above the cores) the second thread only added CPU
 * time and never shortened the run.
 */
import { availableParallelism, loadavg } from 'node:os';
import type * as WorkerThreads from 'node:worker_threads';
import { type ValidationIssue, validateFiles } from './documents';
import { SchemaValidator } from './validator';

/**
 * Node's worker_threads module, loaded when first used rather than when
 * this module loads: `npm run validate` starts from a startup snapshot
 * (tools/run-bundled.cjs), and where the module was loaded while the
 * snapshot was built, a worker started from the snapshot fails (on Node 20
 * its `process.cwd()` reads a shared counter the snapshot did not keep).
 */
function workerThreads(): typeof WorkerThreads {
  return require('node:worker_threads') as typeof WorkerThreads;
}

/** Whether this is a validation worker (validateShare's thread), not the command's own thread. */
export function inValidationWorker(): boolean {
  return !workerThreads().isMainThread;
}

/**
 * Files a thread should have before another one is worth starting: a worker
 * costs about as much CPU as reading and checking a thousand files once
 * warm (docs/benchmarks.md).
 */
export const FILES_PER_THREAD = 1500;

/**
 * Threads for `files` files: one per FILES_PER_THREAD, at most one per core
 * that the load average (`load`, the last minute's) leaves idle, and at
 * least one.
 */
export function threadsFor(files: number, cores = availableParallelism(), load = loadavg()[0]): number {
  const idleCores = Math.floor(cores - load + 0.5);
  return Math.max(1, Math.min(idleCores, Math.floor(files / FILES_PER_THREAD)));
}

/** `items` in `count` consecutive shares of sizes differing by at most one. */
export function shares<T>(items: readonly T[], count: number): T[][] {
  const result: T[][] = [];
  let start = 0;
  for (let i = 0; i < count; i++) {
    const size = Math.floor(items.length / count) + (i < items.length % count ? 1 : 0);
    result.push(items.slice(start, start + size));
    start += size;
  }
  return result;
}

/** What a worker is given: its share of the files and where the code cache lives. */
interface ShareTask {
  readonly files: readonly string[];
  readonly baseDir: string;
  readonly codeCacheDir?: string;
}

interface ShareResult {
  readonly issues: ValidationIssue[];
  readonly documents: number;
}

/** How validateInThreads runs. */
export interface ThreadOptions {
  readonly threads: number;
  /** The module a worker starts from: one that calls `validateShare()` when it is not the main thread. */
  readonly workerModule: string;
  /** Paths in the issues are relative to it. */
  readonly baseDir?: string;
  readonly codeCacheDir?: string;
}

/**
 * Validates the files on `threads` threads: this one takes the first share
 * while a worker takes each other. Returns the issues in file order, the
 * documents read, and this thread's validator (whose code cache the caller
 * saves).
 */
export async function validateInThreads(
  files: readonly string[],
  options: ThreadOptions,
): Promise<ShareResult & { readonly validator: SchemaValidator }> {
  const baseDir = options.baseDir ?? process.cwd();
  const [first, ...others] = shares(files, Math.max(1, options.threads));
  // Started before this thread's own share, so they run while it works.
  const results = others.map((share) => {
    const task: ShareTask = { files: share, baseDir, codeCacheDir: options.codeCacheDir };
    const worker = new (workerThreads().Worker)(options.workerModule, { workerData: task });
    return new Promise<ShareResult>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
      worker.once('exit', (code) => {
        if (code !== 0) reject(new Error(`a validation thread stopped with exit code ${code}`));
      });
    });
  });
  const validator = new SchemaValidator({ codeCacheDir: options.codeCacheDir });
  const own = validateFiles(validator, first, baseDir);
  const theirs = await Promise.all(results);
  return {
    issues: [own, ...theirs].flatMap((result) => result.issues),
    documents: [own, ...theirs].reduce((sum, result) => sum + result.documents, 0),
    validator,
  };
}

/** In a worker started by validateInThreads: validates its share and posts the result. */
export function validateShare(): void {
  const { isMainThread, parentPort, workerData } = workerThreads();
  if (isMainThread || !parentPort) throw new Error('validateShare runs in a validation worker only');
  const { files, baseDir, codeCacheDir } = workerData as ShareTask;
  const validator = new SchemaValidator({ codeCacheDir });
  const result: ShareResult = validateFiles(validator, files, baseDir);
  parentPort.postMessage(result);
}
