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
   * are created with the value (write-only, so it never reaches state); every other entry is set by
   * hand. A rotated key is written again by replacing the entry.
   */
  readonly values?: Readonly<Record<string, string>>;
}

/** Stands in for a value until someone sets the real one outside git; Terraform never changes it afterwards. */
export const SECRET_PLACEHOLDER = 'set-outside-git';

/**
 * Bumping it makes Terraform write the placeholder again (a new secret version), which would
 * hide the real value: it stays at 1.
 */
const PLACEHOLDER_WRITE = 1;

/**
 * A Key Vault with Azure RBAC (no access policies), purge protection and soft
 * delete, and one entry per platform secret. A Key Vault secret cannot exist
 * without a value, so Terraform creates the entry with a placeholder, written
 * through the write-only `value_wo` (azurerm 4.55.0): the provider's read sets
 * `value` to null whenever `value_wo_version` is set, so neither the placeholder
 * nor the real value (set later with `az keyvault secret set`) is ever stored in
 * Terraform state or a plan. `ignore_changes = [value]` would not do that: every
 * refresh copied the live value into state.
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
          // A value the stack knows (the Redis access key) goes through the same write-only
          // attribute: written once when the entry is created, never read back into state.
          valueWo: known ?? SECRET_PLACEHOLDER,
          valueWoVersion: PLACEHOLDER_WRITE,
          contentType: secret.description,
          lifecycle: { ignoreChanges: ['content_type', 'tags'] },
          dependsOn: [deployer],
        }),
      );
    }
  }
}
