/**
 * The one interface the batch predictor reads and writes through. Each cloud
 * has one adapter behind it (s3.ts, gcs.ts, azure-blob.ts) and tests use the
 * local-filesystem one (local.ts); nothing else in the program knows which
 * cloud it runs on. Keys are relative to the store's prefix, `/`-separated.
 */

/** An object of a listing. */
export interface StoredObject {
  /** Key relative to the store's prefix. */
  readonly key: string;
  readonly size: number;
  /**
   * A version marker that changes when the content does (ETag, generation,
   * mtime+size): a checkpoint records it, so a changed input is scored anew.
   */
  readonly version: string;
}

export interface ObjectStore {
  /** Where the store points, for log lines and errors. */
  readonly location: string;
  /** Objects under `prefix` (relative, may be ''), any depth, sorted by key. */
  list(prefix: string): Promise<StoredObject[]>;
  /** The object's content, or undefined when there is none. */
  read(key: string): Promise<Buffer | undefined>;
  /**
   * Writes the object whole: a reader sees the old content or the new, never
   * part of it. `ifAbsent`: only when no object has the key yet; returns false
   * (writing nothing) when one has.
   */
  write(key: string, body: Buffer, options?: { ifAbsent?: boolean }): Promise<boolean>;
  /** Removes the object; no error when it is already gone. */
  remove(key: string): Promise<void>;
}

/** A parsed storage URI: which adapter, and where. */
export type StorageLocation =
  | { readonly kind: 'local'; readonly directory: string }
  | { readonly kind: 's3'; readonly bucket: string; readonly prefix: string }
  | { readonly kind: 'gcs'; readonly bucket: string; readonly prefix: string }
  | {
      readonly kind: 'azure-blob';
      readonly account: string;
      readonly container: string;
      readonly prefix: string;
    };

/** `a/b/` → `a/b/`, `a/b` → `a/b/`, `` → ``: keys are appended to it. */
function asPrefix(path: string): string {
  const trimmed = path.replace(/^\/+/, '');
  return trimmed === '' || trimmed.endsWith('/') ? trimmed : `${trimmed}/`;
}

/**
 * Reads an --input/--output URI: the forms the cloud profiles render
 * (platform/clouds/*.ts `objectUri`) and a local directory.
 */
export function parseLocation(uri: string, option: string): StorageLocation {
  const bad = (why: string) => new Error(`${option}: "${uri}" ${why}`);
  if (uri.startsWith('/') || uri.startsWith('./') || uri.startsWith('../')) {
    return { kind: 'local', directory: uri };
  }
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    throw bad('is neither a directory nor a storage URI (s3://, gs://, abfss://, file://)');
  }
  const path = decodeURIComponent(url.pathname);
  switch (url.protocol) {
    case 'file:':
      return { kind: 'local', directory: path };
    case 's3:':
      if (!url.hostname) throw bad('names no bucket');
      return { kind: 's3', bucket: url.hostname, prefix: asPrefix(path) };
    case 'gs:':
      if (!url.hostname) throw bad('names no bucket');
      return { kind: 'gcs', bucket: url.hostname, prefix: asPrefix(path) };
    case 'abfss:': {
      const account = url.hostname.match(/^([a-z0-9]{3,24})\.dfs\.core\.windows\.net$/)?.[1];
      if (!url.username || !account) {
        throw bad('must be abfss://<container>@<account>.dfs.core.windows.net/<path>');
      }
      return {
        kind: 'azure-blob',
        account,
        container: decodeURIComponent(url.username),
        prefix: asPrefix(path),
      };
    }
    default:
      throw bad(`has an unknown scheme ${url.protocol} (s3://, gs://, abfss://, file:// or a directory)`);
  }
}
