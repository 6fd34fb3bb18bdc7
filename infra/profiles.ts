import type { Cloud, ClusterSpec } from '../clusters/types';
import { AWS_INFRA } from './aws/profile';
import { AZURE_INFRA } from './azure/profile';
import { GCP_INFRA } from './gcp/profile';
import type { InfraProfile } from './profile';

/**
 * Each cloud's infrastructure profile. The mapped type is exhaustive over `Cloud`: a fourth cloud
 * does not compile until it has one.
 */
const PROFILES: { readonly [C in Cloud]: InfraProfile<C> } = {
  aws: AWS_INFRA,
  gcp: GCP_INFRA,
  azure: AZURE_INFRA,
};

/** The infrastructure profile of a cluster's cloud. */
export function infraProfileOf(cluster: Pick<ClusterSpec, 'cloud'>): InfraProfile {
  // The profile of the cluster's own cloud: its methods are given clusters of that cloud only.
  return PROFILES[cluster.cloud] as InfraProfile;
}
