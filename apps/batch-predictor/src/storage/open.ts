import { type ObjectStore, parseLocation } from './store';

/**
 * The adapter for a URI. Each cloud's SDK is loaded only when its store is
 * opened: a run against S3 never loads the Azure and Google libraries.
 */
export async function openStore(uri: string, option: string): Promise<ObjectStore> {
  const location = parseLocation(uri, option);
  switch (location.kind) {
    case 'local':
      return new (await import('./local')).LocalStore(location.directory);
    case 's3':
      return new (await import('./s3')).S3Store(location.bucket, location.prefix);
    case 'gcs':
      return new (await import('./gcs')).GcsStore(location.bucket, location.prefix);
    case 'azure-blob':
      return new (await import('./azure-blob')).AzureBlobStore(
        location.account,
        location.container,
        location.prefix,
      );
  }
}
