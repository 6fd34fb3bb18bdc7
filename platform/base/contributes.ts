/**
 * What the base component contributes beyond the namespaces, policies and RBAC it renders from
 * everyone's declarations: the cloud identity of the cloud controllers it installs (the AWS Load
 * Balancer Controller on AWS), and where the cloud workloads' pods fetch their credentials when
 * the cloud profile names such an endpoint (GKE's metadata server), which gives each of their
 * namespaces a flow to it. It owns no namespace: each component declares its own. Plain data.
 */
import { AWS_LOAD_BALANCER_CONTROLLER_WORKLOAD } from '../clouds/cloud-workloads';
import { CLOUD_CONTROLLERS_TEAM } from '../clouds/common';
import type { DeclarationProps } from '../kernel/chart';
import type { Contribution } from '../kernel/contribution';

/** The cloud controllers' workloads; each says the clouds it runs on. */
const CONTROLLER_WORKLOADS = [AWS_LOAD_BALANCER_CONTROLLER_WORKLOAD];

export function baseContribution({ cluster, profile }: DeclarationProps): Contribution {
  const cloudWorkloads = CONTROLLER_WORKLOADS.filter(
    (workload) => workload.clouds?.includes(cluster.cloud) ?? true,
  );
  const endpoint = profile.workloadIdentityEndpoint();
  // Its only pods are the cloud controllers it installs.
  return {
    team: CLOUD_CONTROLLERS_TEAM,
    ...(cloudWorkloads.length > 0 ? { cloudWorkloads } : {}),
    ...(endpoint
      ? { credentialEndpoint: { cidr: endpoint.cidr, ports: endpoint.ports, what: endpoint.what } }
      : {}),
  };
}
