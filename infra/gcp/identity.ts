import { BigqueryDatasetIamMember } from '@cdktf/provider-google/lib/bigquery-dataset-iam-member';
import { SecretManagerSecretIamMember } from '@cdktf/provider-google/lib/secret-manager-secret-iam-member';
import { ServiceAccount } from '@cdktf/provider-google/lib/service-account';
import { ServiceAccountIamMember } from '@cdktf/provider-google/lib/service-account-iam-member';
import { StorageBucketIamMember } from '@cdktf/provider-google/lib/storage-bucket-iam-member';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import type { IdentityPlan } from '../plan';

export interface GcpWorkloadIdentityProps {
  /** Account id, buckets and secrets of the workload. */
  readonly identity: IdentityPlan;
  /** Project of the cluster and its workload identity pool. */
  readonly projectId: string;
  /** Bucket name to the bucket's Terraform name, for references. */
  readonly bucketNames: ReadonlyMap<string, string>;
  /** Secret name to the secret's id reference. */
  readonly secretIds: ReadonlyMap<string, string>;
  /** Dataset the workload may write analytics to; only for workloads that write the data lake. */
  readonly analyticsDatasetId?: string;
  /**
   * The cluster: the `<project>.svc.id.goog` identity pool exists only once GKE created it, and a
   * binding naming a member of the pool before that fails.
   */
  readonly cluster: ITerraformDependable;
}

const BUCKET_ROLE = { read: 'roles/storage.objectViewer', 'read-write': 'roles/storage.objectUser' } as const;

/**
 * A Google service account that exactly one Kubernetes ServiceAccount can act
 * as (GKE Workload Identity), with roles on the individual buckets and
 * secrets it uses and nothing at project level.
 */
export class GcpWorkloadIdentity extends Construct {
  readonly account: ServiceAccount;

  constructor(scope: Construct, id: string, props: GcpWorkloadIdentityProps) {
    super(scope, id);
    const { identity, projectId } = props;
    const { namespace, serviceAccount } = identity.workload;
    this.account = new ServiceAccount(this, 'account', {
      accountId: identity.name,
      displayName: `Workload ${identity.workload.name}`,
      description: `Used by ServiceAccount ${namespace}/${serviceAccount} through Workload Identity`,
    });
    new ServiceAccountIamMember(this, 'workload-identity-user', {
      serviceAccountId: this.account.name,
      role: 'roles/iam.workloadIdentityUser',
      member: `serviceAccount:${projectId}.svc.id.goog[${namespace}/${serviceAccount}]`,
      dependsOn: [props.cluster],
    });
    for (const bucket of identity.buckets) {
      const name = props.bucketNames.get(bucket.name);
      if (!name)
        throw new Error(`identity ${identity.name} uses bucket ${bucket.name}, which the stack lacks`);
      new StorageBucketIamMember(this, `bucket-${bucket.role}`, {
        bucket: name,
        role: BUCKET_ROLE[bucket.access],
        member: this.account.member,
      });
    }
    for (const secret of identity.secrets) {
      const secretId = props.secretIds.get(secret);
      if (!secretId)
        throw new Error(`identity ${identity.name} reads secret ${secret}, which the stack lacks`);
      new SecretManagerSecretIamMember(this, `secret-${secret}`, {
        secretId,
        role: 'roles/secretmanager.secretAccessor',
        member: this.account.member,
      });
    }
    // A workload that reads prices (OpenCost) gets no role: the Cloud Billing Catalog API takes the
    // API key of the `cloud-pricing-api-key` secret, not an identity (pkg/cloud/gcp/provider.go
    // `parsePages`). Committed-use discounts, which OpenCost lists with compute.commitments.list, are
    // not granted: the fleet buys none (docs/pull-requests.md, Live cost).
    if (props.analyticsDatasetId) {
      new BigqueryDatasetIamMember(this, 'analytics', {
        datasetId: props.analyticsDatasetId,
        role: 'roles/bigquery.dataEditor',
        member: this.account.member,
      });
    }
  }
}
