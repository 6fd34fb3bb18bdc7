import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BlobServiceClient, StorageSharedKeyCredential } from '@azure/storage-blob';
import { AzureBlobStore } from '../../../apps/batch-predictor/src/storage/azure-blob';
import { LocalStore } from '../../../apps/batch-predictor/src/storage/local';
import type { ObjectStore } from '../../../apps/batch-predictor/src/storage/store';
import { freePort, ManagedProcess, REPO_ROOT, waitFor } from '../../../gateway/dev/processes';

/**
 * The storage contract every adapter keeps, run against the local directory
 * and against Azurite (Microsoft's Azure Storage emulator, a real Blob API
 * server on 127.0.0.1) through the Azure adapter and the official SDK. The S3
 * and GCS adapters have no emulator on this machine (see apps/batch-predictor/README.md).
 */
jest.setTimeout(60_000);

const AZURITE_BLOB = join(REPO_ROOT, 'node_modules', 'azurite', 'dist', 'src', 'blob', 'main.js');

function contract(open: () => Promise<ObjectStore>) {
  it('writes whole objects, creates only when absent, reads, lists sorted by key, removes', async () => {
    const store = await open();
    expect(await store.list('')).toEqual([]);
    expect(await store.write('a/2.jsonl', Buffer.from('two'), { ifAbsent: true })).toBe(true);
    expect(await store.write('a/2.jsonl', Buffer.from('other'), { ifAbsent: true })).toBe(false);
    expect((await store.read('a/2.jsonl'))?.toString()).toBe('two');
    expect(await store.write('a/1.jsonl', Buffer.from('one'))).toBe(true);
    expect(await store.write('b.jsonl', Buffer.from('b'))).toBe(true);

    const listed = await store.list('');
    expect(listed.map((o) => [o.key, o.size])).toEqual([
      ['a/1.jsonl', 3],
      ['a/2.jsonl', 3],
      ['b.jsonl', 1],
    ]);
    expect((await store.list('a/')).map((o) => o.key)).toEqual(['a/1.jsonl', 'a/2.jsonl']);

    // Replacing an object changes its version (what a checkpoint records).
    const before = listed.find((o) => o.key === 'b.jsonl')?.version;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await store.write('b.jsonl', Buffer.from('bb'))).toBe(true);
    const after = (await store.list('b')).find((o) => o.key === 'b.jsonl');
    expect(after?.size).toBe(2);
    expect(after?.version).not.toBe(before);

    expect(await store.read('missing.jsonl')).toBeUndefined();
    await store.remove('a/1.jsonl');
    await store.remove('a/1.jsonl');
    expect((await store.list('')).map((o) => o.key)).toEqual(['a/2.jsonl', 'b.jsonl']);
  });
}

describe('local store', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'store-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  contract(async () => new LocalStore(join(dir, 'root')));
});

describe('Azure Blob store (Azurite on 127.0.0.1)', () => {
  const account = 'mlptest';
  // A key made for this run: Azurite accepts the accounts AZURITE_ACCOUNTS names.
  const key = randomBytes(64).toString('base64');
  let azurite: ManagedProcess;
  let service: BlobServiceClient;
  let data: string;
  let containers = 0;

  beforeAll(async () => {
    data = mkdtempSync(join(tmpdir(), 'azurite-'));
    const port = await freePort();
    azurite = new ManagedProcess(
      'azurite-blob',
      AZURITE_BLOB,
      // The SDK (12.34.0) sends a newer service version than Azurite 3.37.0 knows; the operations used
      // here exist unchanged in the versions it does know, so the version check is skipped.
      [
        '--blobHost',
        '127.0.0.1',
        '--blobPort',
        String(port),
        '--location',
        data,
        '--silent',
        '--skipApiVersionCheck',
      ],
      { AZURITE_ACCOUNTS: `${account}:${key}` },
    );
    await waitFor('azurite to listen', () => azurite.logs.includes('successfully listens'), 30_000);
    service = new BlobServiceClient(
      `http://127.0.0.1:${port}/${account}`,
      new StorageSharedKeyCredential(account, key),
    );
  });
  afterAll(async () => {
    await azurite?.stop();
    if (data) rmSync(data, { recursive: true, force: true });
  });

  contract(async () => {
    // Each test gets its own container, and the store a prefix inside it, as the Jobs use them.
    containers += 1;
    const container = service.getContainerClient(`data-lake-${containers}`);
    await container.createIfNotExists();
    return new AzureBlobStore(account, container.containerName, 'batch/x/', container);
  });

  it('keeps every key under its prefix', async () => {
    const container = service.getContainerClient('prefixes');
    await container.createIfNotExists();
    const store = new AzureBlobStore(account, 'prefixes', 'in/', container);
    await store.write('f.jsonl', Buffer.from('x'));
    await container.getBlockBlobClient('outside.jsonl').upload('y', 1);
    const names: string[] = [];
    for await (const blob of container.listBlobsFlat()) names.push(blob.name);
    expect(names.sort()).toEqual(['in/f.jsonl', 'outside.jsonl']);
    expect((await store.list('')).map((o) => o.key)).toEqual(['f.jsonl']);
    expect(store.location).toBe(`abfss://prefixes@${account}.dfs.core.windows.net/in/`);
  });
});
