import { DataResource, TerraformLocal, type TerraformStack } from 'cdktf';
import type { InfrastructurePlan } from './plan';
import { infraProfileOf } from './profiles';

/**
 * The sample fleet ships made-up principals and outputs so that it renders; a
 * cloud validates principals and fails (or, worse, trusts a stranger) when a
 * stack applies them. This finds them, and `refusePlaceholders` renders a
 * guard that makes `terraform plan` of such a stack fail with the list, while
 * `npm run synth` keeps rendering the sample.
 *
 * A value counts as a placeholder when it can never be a real one (each
 * cloud's `InfraProfile.placeholderPrincipals` says which of its principals): the
 * example AWS accounts of AWS's documentation, role and group names starting
 * with `placeholder-`, addresses in the domains RFC 2606 reserves for examples
 * (`example.com`, `.example`, `.invalid`, `.test`), the all-zero Entra object ids
 * the sample uses, and outputs read from a file marked `"placeholder": true`.
 */

/** Every placeholder a cluster's stack would apply, each naming the file and field to change. */
export function placeholderProblems(plan: InfrastructurePlan): string[] {
  const file = `clusters/${plan.cluster.name}.ts`;
  const problems = infraProfileOf(plan.cluster)
    .placeholderPrincipals(plan.cluster)
    .map(({ path, value, why }) => `${file}: ${path} "${value}" is ${why}; put the real one there`);
  for (const reader of plan.modelReaders) {
    if (reader.issuerPlaceholderFile) {
      problems.push(
        `${reader.issuerPlaceholderFile}: the token issuer of ${reader.reader}, which this stack trusts, is a ` +
          `placeholder; apply ${reader.reader} first, then npm run infra:outputs -- --stack ${reader.reader}`,
      );
    }
  }
  return problems;
}

/**
 * Renders the placeholders into the stack as a local value and a resource whose precondition holds
 * only when there are none: `terraform plan` (and apply) of a stack rendered from placeholders stops
 * with the list, before any resource is touched; `terraform validate` and `npm run synth` still pass.
 * `terraform_data` is built into Terraform, so the guard needs no provider.
 */
export function refusePlaceholders(stack: TerraformStack, problems: readonly string[]): void {
  const local = new TerraformLocal(stack, 'placeholders', [...problems]);
  // The local's address, written out: a token would not resolve inside this template.
  const placeholders = `local.${local.friendlyUniqueId}`;
  new DataResource(stack, 'refuse-placeholders', {
    lifecycle: {
      precondition: [
        {
          condition: `\${length(${placeholders}) == 0}`,
          errorMessage: `This stack was rendered from placeholder values, which the cloud would reject or trust: \${join("; ", ${placeholders})}. Replace them and run npm run synth again.`,
        },
      ],
    },
  });
}
