import { Fn, TerraformVariable } from 'cdktf';
import type { Construct } from 'constructs';
import { SHARED_SECRET_PATTERN, type VpnLinkPlan } from './cross-cloud';

/**
 * The pre-shared key of one VPN link, as a sensitive Terraform variable: the
 * same value is given to the stacks at both ends (`TF_VAR_<name>` from the CI
 * secret store), so it is generated once per link and never committed. It
 * still lands in each end's state, which is why the state stores are
 * encrypted and access-controlled (docs/infrastructure.md, cross-cloud network).
 */
export function linkSharedSecret(scope: Construct, link: VpnLinkPlan): string {
  const variable = new TerraformVariable(scope, link.sharedSecretVariable, {
    type: 'string',
    sensitive: true,
    nullable: false,
    description:
      `Pre-shared key of the VPN link ${link.id} (both stacks of the link get the same value): ` +
      '32-64 letters, digits, "." or "_", not starting with 0 (AWS accepts no more)',
  });
  // Both stacks of the link read the same TF_VAR_<name>: the variable keeps the plan's name, not a construct path.
  variable.overrideLogicalId(link.sharedSecretVariable);
  variable.addValidation({
    condition: Fn.can(Fn.regex(SHARED_SECRET_PATTERN, variable.stringValue)),
    errorMessage: `${link.sharedSecretVariable} must match ${SHARED_SECRET_PATTERN}`,
  });
  return variable.stringValue;
}
