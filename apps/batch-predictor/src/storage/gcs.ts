import { type ApiError, Storage } from '@google-cloud/storage';
import type { ObjectStore, StoredObject } from './store';

/**
 * Google Cloud Storage through its official client. Credentials are
 * Application Default Credentials (GKE workload identity in the cluster).
 * Create-if-absent is the precondition `ifGenerationMatch: 0`, answered 412
 * when an object exists.
 */
export class GcsStore implements ObjectStore {
  readonly location: string;
  private readonly storage: Storage;

  constructor(
    private readonly bucket: string,
    private readonly prefix: string,
    storage?: Storage,
  ) {
    this.location = `gs://${bucket}/${prefix}`;
    this.storage = storage ?? new Storage();
  }

  private file(key: string) {
    return this.storage.bucket(this.bucket).file(this.prefix + key);
  }

  async list(prefix: string): Promise<StoredObject[]> {
    const [files] = await this.storage
      .bucket(this.bucket)
      .getFiles({ prefix: this.prefix + prefix, autoPaginate: true });
    return files
      .filter((file) => !file.name.endsWith('/'))
      .map((file) => ({
        key: file.name.slice(this.prefix.length),
        size: Number(file.metadata.size ?? 0),
        version: String(file.metadata.generation ?? ''),
      }))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  async read(key: string): Promise<Buffer | undefined> {
    try {
      const [content] = await this.file(key).download();
      return content;
    } catch (error) {
      if ((error as ApiError).code === 404) return undefined;
      throw error;
    }
  }

  async write(key: string, body: Buffer, options: { ifAbsent?: boolean } = {}): Promise<boolean> {
    try {
      // A single-request upload: the object appears whole or not at all.
      await this.file(key).save(body, {
        resumable: false,
        ...(options.ifAbsent ? { preconditionOpts: { ifGenerationMatch: 0 } } : {}),
      });
      return true;
    } catch (error) {
      if (options.ifAbsent && (error as ApiError).code === 412) return false;
      throw error;
    }
  }

  async remove(key: string): Promise<void> {
    await this.file(key).delete({ ignoreNotFound: true });
  }
}
