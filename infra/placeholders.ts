import { DataResource, TerraformLocal, type TerraformStack } from 'cdktf';
import type { ClusterSpec } from '../clusters/types';
import type { InfrastructurePlan } from './plan';

/**
 * The sample fleet ships made-up principals and outputs so that it renders; a
 * cloud validates principals and fails (or, worse, trusts a stranger) when a
 * stack applies them. This finds them, and `refusePlaceholders` renders a
 * guard that makes `terraform plan` of such a stack fail with the list, while
 * `npm run synth` keeps rendering the sample.
 *
 * A value counts as a placeholder when it can never be a real one: the
 * example AWS accounts of AWS's documentation, role and group names starting
 * with `placeholder-`, addresses in the domains RFC 2606 reserves for examples
 * (`example.com`, `.example`, `.invalid`, `.test`), the all-zero Entra object ids
 * the sample uses, and outputs read from a file marked `"placeholder": true`.
 */

/** AWS's documentation example accounts: no real principal lives in them. */
const EXAMPLE_AWS_ACCOUNTS: ReadonlySet<string> = new Set(['111122223333', '123456789012', '444455556666']);

/** Domains reserved for examples (RFC 2606, RFC 6761). */
const RESERVED_DOMAIN = /(^|\.)(example\.(com|net|org)|example|invalid|test|localhost)$/i;

/** The shape of the sample's Entra object ids: all zeros but the last digits. */
const SAMPLE_OBJECT_ID = /^00000000-0000-0000-0000-0000000000[0-9a-f]{2}$/i;

const PLACEHOLDER_NAME = /^placeholder-/i;

function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1);
}

/** Why a principal of a cluster file is a placeholder, or undefined for a plausible one. */
function principalProblem(cluster: ClusterSpec): { path: string; value: string; why: string }[] {
  switch (cluster.cloud) {
    case 'aws': {
      const found: { path: string; value: string; why: string }[] = [];
      if (EXAMPLE_AWS_ACCOUNTS.has(cluster.accountId)) {
        found.push({
          path: 'accountId',
          value: cluster.accountId,
          why: "AWS's documentation example account",
        });
      }
      cluster.apiAccess.forEach((access, i) => {
        const [, , , , account, resource = ''] = access.principalArn.split(':');
        const role = resource.split('/').pop() ?? '';
        if (EXAMPLE_AWS_ACCOUNTS.has(account) || PLACEHOLDER_NAME.test(role)) {
          found.push({
            path: `apiAccess[${i}].principalArn`,
            value: access.principalArn,
            why: 'a placeholder role',
          });
        }
      });
      return found;
    }
    case 'gcp': {
      const found: { path: string; value: string; why: string }[] = [];
      cluster.apiAccess.forEach((access, i) => {
        const email = access.member.slice(access.member.indexOf(':') + 1);
        if (RESERVED_DOMAIN.test(domainOf(email)) || PLACEHOLDER_NAME.test(email)) {
          found.push({ path: `apiAccess[${i}].member`, value: access.member, why: 'an example address' });
        }
      });
      if (RESERVED_DOMAIN.test(domainOf(cluster.rbacSecurityGroup))) {
        found.push({
          path: 'rbacSecurityGroup',
          value: cluster.rbacSecurityGroup,
          why: 'an example address',
        });
      }
      return found;
    }
    case 'azure': {
      const found = cluster.apiAccess.flatMap((access, i) =>
        SAMPLE_OBJECT_ID.test(access.groupObjectId)
          ? [
              {
                path: `apiAccess[${i}].groupObjectId`,
                value: access.groupObjectId,
                why: "the sample's made-up object id",
              },
            ]
          : [],
      );
      // Applied only with the database it administers.
      const administrator = cluster.database?.administrator;
      if (administrator && SAMPLE_OBJECT_ID.test(administrator.objectId)) {
        found.push({
          path: 'database.administrator.objectId',
          value: administrator.objectId,
          why: "the sample's made-up object id",
        });
      }
      if (administrator && PLACEHOLDER_NAME.test(administrator.principalName)) {
        found.push({
          path: 'database.administrator.principalName',
          value: administrator.principalName,
          why: 'a placeholder name',
        });
      }
      return found;
    }
  }
}

/** Every placeholder a cluster's stack would apply, each naming the file and field to change. */
export function placeholderProblems(plan: InfrastructurePlan): string[] {
  const file = `clusters/${plan.cluster.name}.ts`;
  const problems = principalProblem(plan.cluster).map(
    ({ path, value, why }) => `${file}: ${path} "${value}" is ${why}; put the real one there`,
  );
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
