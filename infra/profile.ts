import type { Cloud, ClusterSpec } from '../clusters/types';
import type { Json, NetworkView } from './network-view';

/** The cluster files of one cloud. */
export type ClusterOf<C extends Cloud> = Extract<ClusterSpec, { cloud: C }>;

/** A value of a cluster file that can never be a real one, and why. */
export interface PlaceholderValue {
  /** Field path in the cluster file, e.g. `apiAccess[0].principalArn`. */
  readonly path: string;
  readonly value: string;
  /** Why it cannot be real, completing "… is <why>". */
  readonly why: string;
}

/** The endpoints a link's tunnel joins: an index into each end's tunnel endpoints. */
export interface TunnelEnds {
  readonly first: number;
  readonly second: number;
}

/**
 * What differs between the clouds on the Terraform side, answered by each cloud's folder
 * (infra/<cloud>/profile.ts) for the modules every cloud shares: the plan (infra/plan.ts), the
 * cross-cloud network (infra/cross-cloud.ts), the placeholder guard (infra/placeholders.ts) and
 * the reachability check (infra/reachability.ts). Those ask here and never test the cloud; the
 * clouds' stacks (infra/<cloud>/stack.ts) build what the plan says.
 */
export interface InfraProfile<C extends Cloud = Cloud> {
  readonly cloud: C;
  /**
   * Whether the managed PostgreSQL keeps a read replica in the cloud's paired region (Azure:
   * infra/azure/database.ts); the cost estimate asks too.
   */
  readonly geoReplicatedDatabase: boolean;
  /**
   * Whether the stack runs the operator bastion (infra/aws/bastion.ts, reached with SSM Session
   * Manager): one bastion reaches every cluster over the VPN. The cost estimate asks too.
   */
  readonly operatorBastion: boolean;
  /** How this cloud terminates a site-to-site VPN link to another cloud (infra/<cloud>/vpn.ts). */
  readonly vpn: {
    /**
     * Which end of a link takes each tunnel's first inside address: the end whose cloud has the
     * lower order. Distinct per cloud, so both ends agree.
     */
    readonly order: number;
    /**
     * The tunnels of a link whose first end is on this cloud, as the endpoints they join: an AWS
     * end's two connections (one per peer address) have two tunnels each, four in all; HA VPN's
     * two interfaces meet an active-active Azure gateway's two instances one to one.
     */
    readonly tunnelsAsFirstEnd: readonly TunnelEnds[];
  };
  /**
   * Issuer of the cluster's ServiceAccount tokens where it is known before apply (GKE: fixed by
   * project, location and name); undefined where it exists only after apply and is recorded in
   * the outputs file (`oidcIssuerUrl`).
   */
  derivedTokenIssuer(cluster: ClusterOf<C>): string | undefined;
  /** Id of the analytics dataset the stack creates, where the cloud has one and the cluster file asks (BigQuery). */
  analyticsDatasetId(cluster: ClusterOf<C>): string | undefined;
  /**
   * The private DNS zone the cluster's API server name lives in, which peers must forward to the
   * cluster's resolver (AKS private clusters); undefined where the name resolves anywhere.
   */
  privateApiZone(cluster: ClusterOf<C>): string | undefined;
  /**
   * The principals of the cluster file that can never be real (documentation accounts, reserved
   * domains, the sample's object ids): applying them fails, or trusts a stranger.
   */
  placeholderPrincipals(cluster: ClusterOf<C>): PlaceholderValue[];
  /** What the cluster's stack builds of the cross-cloud network, read from its Terraform JSON. */
  networkView(cluster: ClusterOf<C>, json: Json): NetworkView;
}
