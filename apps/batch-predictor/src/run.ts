import type { BatchMetrics } from './metrics';
import type { BatchOptions } from './options';
import type { PredictClient } from './predict';
import type { ObjectStore, StoredObject } from './storage/store';

/** Folder under --output holding each shard's checkpoints; never an input or output file. */
export const CHECKPOINT_FOLDER = '_checkpoints';

/** Where a shard's checkpoint of one input file is kept, relative to --output. */
export function checkpointKey(shard: number, inputKey: string): string {
  return `${CHECKPOINT_FOLDER}/shard-${shard}/${inputKey}.json`;
}

/** Progress of one input file, saved under --output while the file is scored. */
interface Checkpoint {
  readonly input: string;
  /** The input's version when scoring began; a changed input starts again. */
  readonly version: string;
  readonly batchSize: number;
  /** Predictions of each completed batch, by batch index. */
  readonly batches: Record<string, unknown[]>;
}

/** One input record: its line number in the file and the instance it holds. */
interface InputRecord {
  readonly line: number;
  readonly instance: unknown;
}

/** The run was stopped (SIGTERM) after saving its checkpoint. */
export class Interrupted extends Error {}

export interface ShardDependencies {
  readonly input: ObjectStore;
  readonly output: ObjectStore;
  readonly client: PredictClient;
  readonly metrics: BatchMetrics;
  /** One structured log line (progress, decisions, warnings). */
  readonly log: (event: string, fields: Record<string, unknown>) => void;
  /** Aborted on SIGTERM: no new batch starts, the checkpoint is saved, the run ends with Interrupted. */
  readonly signal: AbortSignal;
}

export interface ShardResult {
  readonly files: number;
  readonly written: number;
  readonly alreadyDone: number;
  readonly predicted: number;
  readonly resumed: number;
}

/** The input files of a shard: file i of the sorted listing belongs to shard i mod N. */
export function shardFiles(
  files: readonly StoredObject[],
  options: Pick<BatchOptions, 'shard' | 'shards' | 'suffix'>,
) {
  return files
    .filter((file) => file.key.endsWith(options.suffix))
    .filter((_, index) => index % options.shards === options.shard);
}

/** Parses a JSON Lines input; an unreadable line fails the file naming where it is. */
export function parseRecords(text: string, where: string): InputRecord[] {
  const records: InputRecord[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (line === '') return;
    try {
      records.push({ line: index + 1, instance: JSON.parse(line) });
    } catch (error) {
      throw new Error(`${where}:${index + 1}: not a JSON value (${(error as Error).message})`);
    }
  });
  return records;
}

/** Scores every input file of the shard; returns what was done, throws on the first unrecoverable failure. */
export async function runShard(options: BatchOptions, deps: ShardDependencies): Promise<ShardResult> {
  const { input, output, metrics, log } = deps;
  const listed = await input.list('');
  const mine = shardFiles(listed, options);
  metrics.shardFiles.set(mine.length);
  log('shard', { files: mine.length, listed: listed.length, input: input.location, output: output.location });
  const done = new Set((await output.list('')).map((object) => object.key));
  const result = { files: mine.length, written: 0, alreadyDone: 0, predicted: 0, resumed: 0 };
  for (const file of mine) {
    if (deps.signal.aborted) throw new Interrupted('stopped before the next file');
    if (done.has(file.key)) {
      // Written by an earlier run of this shard: outputs appear only complete.
      metrics.files.inc({ outcome: 'already-done' });
      result.alreadyDone += 1;
      log('file-skipped', { file: file.key, reason: 'output exists' });
      await output.remove(checkpointKey(options.shard, file.key));
      continue;
    }
    const counts = await scoreFile(file, options, deps);
    result.predicted += counts.predicted;
    result.resumed += counts.resumed;
    if (counts.written) result.written += 1;
    else result.alreadyDone += 1;
  }
  return result;
}

async function scoreFile(
  file: StoredObject,
  options: BatchOptions,
  deps: ShardDependencies,
): Promise<{ predicted: number; resumed: number; written: boolean }> {
  const { input, output, client, metrics, log, signal } = deps;
  const where = `${input.location}${file.key}`;
  const content = await input.read(file.key);
  if (content === undefined) throw new Error(`${where}: listed but gone when read`);
  const records = parseRecords(content.toString('utf8'), where);
  const batches: InputRecord[][] = [];
  for (let start = 0; start < records.length; start += options.batchSize) {
    batches.push(records.slice(start, start + options.batchSize));
  }

  const key = checkpointKey(options.shard, file.key);
  const saved = await loadCheckpoint(output, key);
  const usable =
    saved?.version === file.version && saved.batchSize === options.batchSize && saved.input === file.key;
  if (saved && !usable)
    log('checkpoint-discarded', { file: file.key, reason: 'input or batch size changed' });
  const results = new Map<number, unknown[]>(
    usable ? Object.entries(saved.batches).map(([index, predictions]) => [Number(index), predictions]) : [],
  );
  const resumed = [...results.keys()].reduce((sum, index) => sum + (batches[index]?.length ?? 0), 0);
  if (resumed > 0) {
    metrics.records.inc({ outcome: 'resumed' }, resumed);
    log('file-resumed', { file: file.key, batchesDone: results.size, batches: batches.length });
  }

  // Checkpoint writes go one after another, each with everything completed so far.
  let saving = Promise.resolve();
  let sinceSave = 0;
  const save = () => {
    sinceSave = 0;
    const checkpoint: Checkpoint = {
      input: file.key,
      version: file.version,
      batchSize: options.batchSize,
      batches: Object.fromEntries(results),
    };
    const body = Buffer.from(JSON.stringify(checkpoint));
    const progress = { file: file.key, batchesDone: results.size, batches: batches.length };
    saving = saving.then(async () => {
      await output.write(key, body);
      log('progress', progress);
    });
    return saving;
  };

  const pending = batches.map((_, index) => index).filter((index) => !results.has(index));
  let failure: Error | undefined;
  let predicted = 0;
  const worker = async () => {
    while (pending.length > 0 && failure === undefined && !signal.aborted) {
      const index = pending.shift() as number;
      const batch = batches[index];
      try {
        const predictions = await client.predict(
          batch.map((record) => record.instance),
          `${options.jobName}/${options.shard}/${file.key}#${index}`,
          signal,
        );
        results.set(index, predictions);
        predicted += batch.length;
        metrics.records.inc({ outcome: 'predicted' }, batch.length);
        sinceSave += 1;
        if (sinceSave >= options.checkpointEvery && results.size < batches.length) await save();
      } catch (error) {
        failure ??= error as Error;
      }
    }
  };
  await Promise.all(
    Array.from({ length: Math.min(options.concurrency, Math.max(pending.length, 1)) }, worker),
  );

  if (failure !== undefined || signal.aborted) {
    // What was scored is kept for the next attempt of this shard.
    if (sinceSave > 0) await save();
    await saving;
    // A request abandoned because the run is stopping is no failure of the shard.
    if (failure && !signal.aborted) throw failure;
    throw new Interrupted(`stopped in ${file.key} after ${results.size} of ${batches.length} batches`);
  }
  await saving;

  const lines = batches.flatMap((batch, index) => {
    const predictions = results.get(index) as unknown[];
    return batch.map((record, offset) =>
      JSON.stringify({ line: record.line, prediction: predictions[offset] }),
    );
  });
  const body = Buffer.from(lines.length > 0 ? `${lines.join('\n')}\n` : '');
  const written = await output.write(file.key, body, { ifAbsent: true });
  metrics.files.inc({ outcome: written ? 'written' : 'already-done' });
  log(written ? 'file-written' : 'file-skipped', {
    file: file.key,
    records: records.length,
    predicted,
    resumed,
    ...(written ? {} : { reason: 'another run wrote it first' }),
  });
  await output.remove(key);
  return { predicted, resumed, written };
}

async function loadCheckpoint(store: ObjectStore, key: string): Promise<Checkpoint | undefined> {
  const body = await store.read(key);
  if (body === undefined) return undefined;
  try {
    const parsed = JSON.parse(body.toString('utf8')) as Checkpoint;
    if (typeof parsed.version === 'string' && parsed.batches && typeof parsed.batches === 'object')
      return parsed;
  } catch {
    // An unreadable checkpoint is no checkpoint: the file is scored again.
  }
  return undefined;
}
