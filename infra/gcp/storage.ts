import { StorageBucket } from '@cdktf/provider-google/lib/storage-bucket';
import { Construct } from 'constructs';
import type { BucketPlan } from '../plan';

export interface GcpBucketProps {
  /** Name, versioning and lifecycle of the bucket. */
  readonly bucket: BucketPlan;
  /** Region the bucket lives in, beside the cluster. */
  readonly region: string;
  /** Labels for the bucket. */
  readonly labels: Readonly<Record<string, string>>;
}

const STORAGE_CLASS = { infrequent: 'NEARLINE', archive: 'ARCHIVE' } as const;

/**
 * A GCS bucket with uniform bucket-level access, public access prevention
 * enforced, versioning, lifecycle rules and `prevent_destroy`. GCS encrypts
 * every object at rest.
 */
export class GcpBucket extends Construct {
  readonly bucket: StorageBucket;

  constructor(scope: Construct, id: string, props: GcpBucketProps) {
    super(scope, id);
    const plan = props.bucket;
    this.bucket = new StorageBucket(this, 'bucket', {
      name: plan.name,
      location: props.region.toUpperCase(),
      storageClass: 'STANDARD',
      uniformBucketLevelAccess: true,
      publicAccessPrevention: 'enforced',
      versioning: { enabled: true },
      forceDestroy: false,
      labels: { ...props.labels },
      softDeletePolicy: { retentionDurationSeconds: 7 * 24 * 3600 },
      lifecycleRule: [
        {
          action: { type: 'Delete' },
          condition: { daysSinceNoncurrentTime: plan.noncurrentVersionDays, withState: 'ARCHIVED' },
        },
        {
          action: { type: 'AbortIncompleteMultipartUpload' },
          condition: { age: plan.abortIncompleteUploadDays },
        },
        ...plan.transitions.map((t) => ({
          action: { type: 'SetStorageClass', storageClass: STORAGE_CLASS[t.tier] },
          condition: { age: t.afterDays, withState: 'LIVE' },
        })),
      ],
      lifecycle: { preventDestroy: true },
    });
  }
}
