import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { Construct } from 'constructs';
import type { BucketPlan } from '../plan';

export interface AwsBucketProps {
  /** Name, versioning and lifecycle of the bucket. */
  readonly bucket: BucketPlan;
}

const TIER = { infrequent: 'STANDARD_IA', archive: 'GLACIER_IR' } as const;

/**
 * An S3 bucket that cannot be made public, is encrypted with KMS, versioned,
 * only reachable over TLS, expires old versions, and cannot be destroyed by
 * Terraform (`prevent_destroy`).
 */
export class AwsBucket extends Construct {
  readonly bucket: S3Bucket;

  constructor(scope: Construct, id: string, props: AwsBucketProps) {
    super(scope, id);
    const plan = props.bucket;
    this.bucket = new S3Bucket(this, 'bucket', {
      bucket: plan.name,
      forceDestroy: false,
      lifecycle: { preventDestroy: true },
    });
    new S3BucketPublicAccessBlock(this, 'public-access-block', {
      bucket: this.bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, 'ownership', {
      bucket: this.bucket.id,
      rule: { objectOwnership: 'BucketOwnerEnforced' },
    });
    new S3BucketServerSideEncryptionConfigurationA(this, 'encryption', {
      bucket: this.bucket.id,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms' }, bucketKeyEnabled: true }],
    });
    const versioning = new S3BucketVersioningA(this, 'versioning', {
      bucket: this.bucket.id,
      versioningConfiguration: { status: 'Enabled' },
    });
    new S3BucketLifecycleConfiguration(this, 'lifecycle', {
      bucket: this.bucket.id,
      rule: [
        {
          id: 'expire-noncurrent-versions',
          status: 'Enabled',
          filter: [{}],
          noncurrentVersionExpiration: [{ noncurrentDays: plan.noncurrentVersionDays }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: plan.abortIncompleteUploadDays }],
        },
        ...(plan.transitions.length > 0
          ? [
              {
                id: 'tier-by-age',
                status: 'Enabled',
                filter: [{}],
                transition: plan.transitions.map((t) => ({ days: t.afterDays, storageClass: TIER[t.tier] })),
              },
            ]
          : []),
      ],
      dependsOn: [versioning],
    });
    const tlsOnly = new DataAwsIamPolicyDocument(this, 'tls-only', {
      statement: [
        {
          sid: 'DenyInsecureTransport',
          effect: 'Deny',
          actions: ['s3:*'],
          principals: [{ type: '*', identifiers: ['*'] }],
          resources: [this.bucket.arn, `${this.bucket.arn}/*`],
          condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }],
        },
      ],
    });
    new S3BucketPolicy(this, 'policy', { bucket: this.bucket.id, policy: tlsOnly.json });
  }
}
