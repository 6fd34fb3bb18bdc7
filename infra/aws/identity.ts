import type { DataAwsIamPolicyDocumentStatement } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { Construct } from 'constructs';

export interface AwsIrsaRoleProps {
  /** Role name; for workloads `workloadIdentityName(cluster, workload)`, which the IRSA annotation names. */
  readonly name: string;
  /** ARN of the cluster's IAM OIDC provider. */
  readonly oidcProviderArn: string;
  /** OIDC issuer host without scheme, the prefix of the condition keys. */
  readonly oidcIssuerHost: string;
  /** The only ServiceAccount token subject allowed to assume the role. */
  readonly subject: string;
  /** Statements of the role's inline policy; none for roles that only use managed policies. */
  readonly statements: readonly DataAwsIamPolicyDocumentStatement[];
  /** AWS managed policies attached as they are (for AWS's own add-ons). */
  readonly managedPolicyArns?: readonly string[];
}

/**
 * An IAM role for a Kubernetes ServiceAccount (IRSA): only that ServiceAccount
 * of that cluster can assume it, and it may do exactly what `statements` say.
 */
export class AwsIrsaRole extends Construct {
  readonly role: IamRole;

  constructor(scope: Construct, id: string, props: AwsIrsaRoleProps) {
    super(scope, id);
    const trust = new DataAwsIamPolicyDocument(this, 'trust', {
      statement: [
        {
          actions: ['sts:AssumeRoleWithWebIdentity'],
          principals: [{ type: 'Federated', identifiers: [props.oidcProviderArn] }],
          condition: [
            { test: 'StringEquals', variable: `${props.oidcIssuerHost}:sub`, values: [props.subject] },
            { test: 'StringEquals', variable: `${props.oidcIssuerHost}:aud`, values: ['sts.amazonaws.com'] },
          ],
        },
      ],
    });
    this.role = new IamRole(this, 'role', {
      name: props.name,
      assumeRolePolicy: trust.json,
      maxSessionDuration: 3600,
    });
    if (props.statements.length > 0) {
      const policy = new DataAwsIamPolicyDocument(this, 'permissions', { statement: [...props.statements] });
      new IamRolePolicy(this, 'policy', {
        name: 'least-privilege',
        role: this.role.name,
        policy: policy.json,
      });
    }
    for (const [index, arn] of (props.managedPolicyArns ?? []).entries()) {
      new IamRolePolicyAttachment(this, `managed-${index}`, { role: this.role.name, policyArn: arn });
    }
  }
}
