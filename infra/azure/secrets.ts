import { KeyVault } from '@cdktf/provider-azurerm/lib/key-vault';
import { KeyVaultSecret } from '@cdktf/provider-azurerm/lib/key-vault-secret';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { Construct } from 'constructs';
import { SECRETS } from '../defaults';
import type { SecretPlan } from '../plan';

export interface AzureSecretsProps {
  /** Key Vault name (`azureKeyVaultName`). */
  readonly vaultName: string;
  /** Secrets to declare; their values are set outside git and Terraform ignores them. */
  readonly secrets: readonly SecretPlan[];
  /** Resource group and location of the vault. */
  readonly resourceGroupName: string;
  readonly location: string;
  /** Entra tenant of the vault. */
  readonly tenantId: string;
  /** Object id of the identity applying the stack; it may create secret entries. */
  readonly deployerObjectId: string;
  /**
   * Values the stack itself knows (a key another resource generates), by secret name: those entries
   * hold the value and follow it; every other entry is set by hand.
   */
  readonly values?: Readonly<Record<string, string>>;
}

/** Stands in for a value until someone sets the real one outside git; Terraform never changes it afterwards. */
export const SECRET_PLACEHOLDER = 'set-outside-git';

/**
 * A Key Vault with Azure RBAC (no access policies), purge protection and soft
 * delete, and one entry per platform secret. Terraform creates the entry with
 * a placeholder and ignores its value from then on, so the real value is set
 * with `az keyvault secret set` and never passes through git or state.
 */
export class AzureSecrets extends Construct {
  readonly vault: KeyVault;
  readonly byName = new Map<string, KeyVaultSecret>();

  constructor(scope: Construct, id: string, props: AzureSecretsProps) {
    super(scope, id);
    this.vault = new KeyVault(this, 'vault', {
      name: props.vaultName,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      tenantId: props.tenantId,
      skuName: 'standard',
      rbacAuthorizationEnabled: true,
      purgeProtectionEnabled: true,
      softDeleteRetentionDays: SECRETS.keyVaultSoftDeleteDays,
      lifecycle: { preventDestroy: true },
    });
    const deployer = new RoleAssignment(this, 'deployer-officer', {
      scope: this.vault.id,
      roleDefinitionName: 'Key Vault Secrets Officer',
      principalId: props.deployerObjectId,
    });
    for (const secret of props.secrets) {
      const known = props.values?.[secret.name];
      this.byName.set(
        secret.name,
        new KeyVaultSecret(this, secret.name, {
          name: secret.name,
          keyVaultId: this.vault.id,
          value: known ?? SECRET_PLACEHOLDER,
          contentType: secret.description,
          lifecycle: { ignoreChanges: known ? ['content_type', 'tags'] : ['value', 'content_type', 'tags'] },
          dependsOn: [deployer],
        }),
      );
    }
  }
}
