import { type ClusterOutputs, loadClusterOutputs } from '../../clusters/outputs';
import type { ClusterSpec } from '../../clusters/types';
import { AwsProfile } from './aws';
import { AzureProfile } from './azure';
import { GcpProfile } from './gcp';
import type { CloudProfile } from './profile';

export type * from './profile';

/**
 * The profile answering for a cluster. The switch is exhaustive over `Cloud`:
 * adding a cloud to the fleet types makes the compiler point here.
 */
export function profileFor(
  cluster: ClusterSpec,
  outputs: ClusterOutputs = loadClusterOutputs(cluster),
): CloudProfile {
  switch (cluster.cloud) {
    case 'aws':
      return new AwsProfile(cluster, outputs);
    case 'gcp':
      return new GcpProfile(cluster, outputs);
    case 'azure':
      return new AzureProfile(cluster, outputs);
  }
}
