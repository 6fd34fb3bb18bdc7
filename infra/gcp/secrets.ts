import { SecretManagerSecret } from '@cdktf/provider-google/lib/secret-manager-secret';
import { Construct } from 'constructs';
import type { SecretPlan } from '../plan';

export interface GcpSecretsProps {
  /** Secrets to declare; their versions (values) are added outside git. */
  readonly secrets: readonly SecretPlan[];
  /** Region the secrets are replicated to (kept beside the cluster). */
  readonly region: string;
  /** Labels for the secrets. */
  readonly labels: Readonly<Record<string, string>>;
}

/** Secret Manager secrets without versions: Terraform owns the secret, never its value. */
export class GcpSecrets extends Construct {
  readonly byName = new Map<string, SecretManagerSecret>();

  constructor(scope: Construct, id: string, props: GcpSecretsProps) {
    super(scope, id);
    for (const secret of props.secrets) {
      this.byName.set(
        secret.name,
        new SecretManagerSecret(this, secret.name, {
          secretId: secret.name,
          labels: { ...props.labels },
          // Values are set by hand: a destroy would lose what no file in git can restore.
          lifecycle: { preventDestroy: true },
          annotations: { description: secret.description },
          replication: { userManaged: { replicas: [{ location: props.region }] } },
        }),
      );
    }
  }
}
