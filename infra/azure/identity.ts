import { FederatedIdentityCredential } from '@cdktf/provider-azurerm/lib/federated-identity-credential';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { UserAssignedIdentity } from '@cdktf/provider-azurerm/lib/user-assigned-identity';
import { Construct } from 'constructs';
import type { IdentityPlan } from '../plan';

export interface AzureWorkloadIdentityProps {
  /** Identity name, buckets and secrets of the workload. */
  readonly identity: IdentityPlan;
  /** Resource group and location of the identity. */
  readonly resourceGroupName: string;
  readonly location: string;
  /** OIDC issuer URL of the AKS cluster. */
  readonly oidcIssuerUrl: string;
  /** Resource id of a container by its name, the scope of blob role assignments. */
  readonly containerScope: (name: string) => string;
  /** Resource id (versionless) of a Key Vault secret by its name. */
  readonly secretScope: (name: string) => string;
  /**
   * The price reader's role (./pricing.ts) and the subscription it is assigned at; only for a
   * workload that reads prices.
   */
  readonly priceReader?: { readonly roleDefinitionId: string; readonly subscriptionScope: string };
}

const BLOB_ROLE = {
  read: 'Storage Blob Data Reader',
  'read-write': 'Storage Blob Data Contributor',
} as const;

/**
 * A user-assigned managed identity that exactly one Kubernetes ServiceAccount
 * can use (federated credential on its token subject), with data roles scoped
 * to the individual containers and secrets it uses.
 */
export class AzureWorkloadIdentity extends Construct {
  readonly identity: UserAssignedIdentity;

  constructor(scope: Construct, id: string, props: AzureWorkloadIdentityProps) {
    super(scope, id);
    const { identity } = props;
    this.identity = new UserAssignedIdentity(this, 'identity', {
      name: identity.name,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
    });
    new FederatedIdentityCredential(this, 'federated-credential', {
      name: `${identity.workload.namespace}-${identity.workload.serviceAccount}`,
      resourceGroupName: props.resourceGroupName,
      parentId: this.identity.id,
      audience: ['api://AzureADTokenExchange'],
      issuer: props.oidcIssuerUrl,
      subject: identity.subject,
    });
    for (const bucket of identity.buckets) {
      new RoleAssignment(this, `container-${bucket.role}`, {
        scope: props.containerScope(bucket.name),
        roleDefinitionName: BLOB_ROLE[bucket.access],
        principalId: this.identity.principalId,
        principalType: 'ServicePrincipal',
      });
    }
    for (const secret of identity.secrets) {
      new RoleAssignment(this, `secret-${secret}`, {
        scope: props.secretScope(secret),
        roleDefinitionName: 'Key Vault Secrets User',
        principalId: this.identity.principalId,
        principalType: 'ServicePrincipal',
      });
    }
    if (props.priceReader) {
      new RoleAssignment(this, 'price-reader', {
        scope: props.priceReader.subscriptionScope,
        roleDefinitionId: props.priceReader.roleDefinitionId,
        principalId: this.identity.principalId,
        principalType: 'ServicePrincipal',
      });
    }
  }
}
