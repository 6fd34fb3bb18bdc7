import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import { Construct } from 'constructs';
import { SECRETS } from '../defaults';
import type { SecretPlan } from '../plan';

export interface AwsSecretsProps {
  /** Secrets to declare; their values are set outside git (console, CLI or a rotation function). */
  readonly secrets: readonly SecretPlan[];
}

/** Secrets Manager secrets without values: Terraform owns the container, never the secret. */
export class AwsSecrets extends Construct {
  readonly byName = new Map<string, SecretsmanagerSecret>();

  constructor(scope: Construct, id: string, props: AwsSecretsProps) {
    super(scope, id);
    for (const secret of props.secrets) {
      this.byName.set(
        secret.name,
        new SecretsmanagerSecret(this, secret.name, {
          name: secret.name,
          description: secret.description,
          recoveryWindowInDays: SECRETS.recoveryDays,
          // Values are set by hand: a destroy would lose what no file in git can restore.
          lifecycle: { preventDestroy: true },
        }),
      );
    }
  }
}
