import { DefaultAzureCredential } from '@azure/identity';
import { BlobServiceClient, type ContainerClient, RestError } from '@azure/storage-blob';
import type { ObjectStore, StoredObject } from './store';

/**
 * Azure Blob Storage through its official client, on the blob endpoint of the
 * account the platform's abfss:// URIs name (its hierarchical namespace serves
 * the Blob API too). Credentials: DefaultAzureCredential, which takes the
 * workload identity the AKS webhook injects. Create-if-absent is the
 * condition `If-None-Match: *` (409 or 412 when the blob exists).
 */
export class AzureBlobStore implements ObjectStore {
  readonly location: string;
  private readonly container: ContainerClient;

  constructor(
    account: string,
    container: string,
    private readonly prefix: string,
    client?: ContainerClient,
  ) {
    this.location = `abfss://${container}@${account}.dfs.core.windows.net/${prefix}`;
    this.container =
      client ??
      new BlobServiceClient(
        `https://${account}.blob.core.windows.net`,
        new DefaultAzureCredential(),
      ).getContainerClient(container);
  }

  async list(prefix: string): Promise<StoredObject[]> {
    const found: StoredObject[] = [];
    for await (const blob of this.container.listBlobsFlat({ prefix: this.prefix + prefix })) {
      // Directories of a hierarchical namespace list as empty blobs with hdi_isfolder metadata.
      if (blob.name.endsWith('/') || blob.metadata?.hdi_isfolder === 'true') continue;
      found.push({
        key: blob.name.slice(this.prefix.length),
        size: blob.properties.contentLength ?? 0,
        version: blob.properties.etag ?? '',
      });
    }
    return found.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  async read(key: string): Promise<Buffer | undefined> {
    try {
      return await this.container.getBlockBlobClient(this.prefix + key).downloadToBuffer();
    } catch (error) {
      if (error instanceof RestError && error.statusCode === 404) return undefined;
      throw error;
    }
  }

  async write(key: string, body: Buffer, options: { ifAbsent?: boolean } = {}): Promise<boolean> {
    try {
      // One Put Blob request: the blob is committed whole.
      await this.container
        .getBlockBlobClient(this.prefix + key)
        .upload(body, body.length, options.ifAbsent ? { conditions: { ifNoneMatch: '*' } } : {});
      return true;
    } catch (error) {
      if (
        options.ifAbsent &&
        error instanceof RestError &&
        (error.statusCode === 409 || error.statusCode === 412)
      ) {
        return false;
      }
      throw error;
    }
  }

  async remove(key: string): Promise<void> {
    await this.container.getBlockBlobClient(this.prefix + key).deleteIfExists();
  }
}
