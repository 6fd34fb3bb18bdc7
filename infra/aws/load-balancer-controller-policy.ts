import type { DataAwsIamPolicyDocumentStatement } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';

/**
 * The IAM policy the AWS Load Balancer Controller needs, as its maintainers
 * publish it for the version the platform installs
 * (platform/clouds/aws-load-balancer-controller.ts pins chart 3.5.0, controller v3.5.0):
 * kubernetes-sigs/aws-load-balancer-controller, docs/install/iam_policy.json at tag v3.5.0
 * (https://raw.githubusercontent.com/kubernetes-sigs/aws-load-balancer-controller/v3.5.0/docs/install/iam_policy.json).
 * Transcribed statement by statement, in the published order; only the statement ids are added.
 * The file is the same at v2.17.1 and v3.5.0 (controller v3 added no AWS action to this policy;
 * its optional features have their own documents beside it: iam_policy_acm_certs.json for
 * certificate management, aga_controller_iam_policy.json for Global Accelerator, neither of
 * which the platform turns on). Upgrading the controller means reading this document at the new
 * tag again: the controller fails on actions it is not granted.
 *
 * Write access is limited the way upstream limits it: to security groups, load balancers and
 * target groups carrying the controller's own `elbv2.k8s.aws/cluster` tag.
 */

/** Tag key the controller puts on everything it creates; the conditions below key on it. */
const CLUSTER_TAG = 'elbv2.k8s.aws/cluster';

/** The tag is being set by this request (the resource is being created by the controller). */
const requestTagged = { test: 'Null', variable: `aws:RequestTag/${CLUSTER_TAG}`, values: ['false'] };
/** The request does not set the tag (it changes tags of a resource that already has it). */
const requestUntagged = { test: 'Null', variable: `aws:RequestTag/${CLUSTER_TAG}`, values: ['true'] };
/** The resource already carries the tag: the controller created it. */
const resourceTagged = { test: 'Null', variable: `aws:ResourceTag/${CLUSTER_TAG}`, values: ['false'] };

const LOAD_BALANCERS_AND_TARGET_GROUPS = [
  'arn:aws:elasticloadbalancing:*:*:targetgroup/*/*',
  'arn:aws:elasticloadbalancing:*:*:loadbalancer/net/*/*',
  'arn:aws:elasticloadbalancing:*:*:loadbalancer/app/*/*',
];

const SECURITY_GROUPS = 'arn:aws:ec2:*:*:security-group/*';

const statements: Omit<DataAwsIamPolicyDocumentStatement, 'sid'>[] = [
  {
    actions: ['iam:CreateServiceLinkedRole'],
    resources: ['*'],
    condition: [
      {
        test: 'StringEquals',
        variable: 'iam:AWSServiceName',
        values: ['elasticloadbalancing.amazonaws.com'],
      },
    ],
  },
  {
    actions: [
      'ec2:DescribeAccountAttributes',
      'ec2:DescribeAddresses',
      'ec2:DescribeAvailabilityZones',
      'ec2:DescribeInternetGateways',
      'ec2:DescribeVpcs',
      'ec2:DescribeVpcPeeringConnections',
      'ec2:DescribeSubnets',
      'ec2:DescribeSecurityGroups',
      'ec2:DescribeInstances',
      'ec2:DescribeNetworkInterfaces',
      'ec2:DescribeTags',
      'ec2:GetCoipPoolUsage',
      'ec2:DescribeCoipPools',
      'ec2:GetSecurityGroupsForVpc',
      'ec2:DescribeIpamPools',
      'ec2:DescribeRouteTables',
      'elasticloadbalancing:DescribeLoadBalancers',
      'elasticloadbalancing:DescribeLoadBalancerAttributes',
      'elasticloadbalancing:DescribeListeners',
      'elasticloadbalancing:DescribeListenerCertificates',
      'elasticloadbalancing:DescribeSSLPolicies',
      'elasticloadbalancing:DescribeRules',
      'elasticloadbalancing:DescribeTargetGroups',
      'elasticloadbalancing:DescribeTargetGroupAttributes',
      'elasticloadbalancing:DescribeTargetHealth',
      'elasticloadbalancing:DescribeTags',
      'elasticloadbalancing:DescribeTrustStores',
      'elasticloadbalancing:DescribeListenerAttributes',
      'elasticloadbalancing:DescribeCapacityReservation',
    ],
    resources: ['*'],
  },
  {
    actions: [
      'cognito-idp:DescribeUserPoolClient',
      'acm:ListCertificates',
      'acm:DescribeCertificate',
      'iam:ListServerCertificates',
      'iam:GetServerCertificate',
      'waf-regional:GetWebACL',
      'waf-regional:GetWebACLForResource',
      'waf-regional:AssociateWebACL',
      'waf-regional:DisassociateWebACL',
      'wafv2:GetWebACL',
      'wafv2:GetWebACLForResource',
      'wafv2:AssociateWebACL',
      'wafv2:DisassociateWebACL',
      'shield:GetSubscriptionState',
      'shield:DescribeProtection',
      'shield:CreateProtection',
      'shield:DeleteProtection',
    ],
    resources: ['*'],
  },
  {
    actions: ['ec2:AuthorizeSecurityGroupIngress', 'ec2:RevokeSecurityGroupIngress'],
    resources: ['*'],
  },
  { actions: ['ec2:CreateSecurityGroup'], resources: ['*'] },
  {
    actions: ['ec2:CreateTags'],
    resources: [SECURITY_GROUPS],
    condition: [
      { test: 'StringEquals', variable: 'ec2:CreateAction', values: ['CreateSecurityGroup'] },
      requestTagged,
    ],
  },
  {
    actions: ['ec2:CreateTags', 'ec2:DeleteTags'],
    resources: [SECURITY_GROUPS],
    condition: [requestUntagged, resourceTagged],
  },
  {
    actions: [
      'ec2:AuthorizeSecurityGroupIngress',
      'ec2:RevokeSecurityGroupIngress',
      'ec2:DeleteSecurityGroup',
    ],
    resources: ['*'],
    condition: [resourceTagged],
  },
  {
    actions: ['elasticloadbalancing:CreateLoadBalancer', 'elasticloadbalancing:CreateTargetGroup'],
    resources: ['*'],
    condition: [requestTagged],
  },
  {
    actions: [
      'elasticloadbalancing:CreateListener',
      'elasticloadbalancing:DeleteListener',
      'elasticloadbalancing:CreateRule',
      'elasticloadbalancing:DeleteRule',
    ],
    resources: ['*'],
  },
  {
    actions: ['elasticloadbalancing:AddTags', 'elasticloadbalancing:RemoveTags'],
    resources: LOAD_BALANCERS_AND_TARGET_GROUPS,
    condition: [requestUntagged, resourceTagged],
  },
  {
    actions: ['elasticloadbalancing:AddTags', 'elasticloadbalancing:RemoveTags'],
    resources: [
      'arn:aws:elasticloadbalancing:*:*:listener/net/*/*/*',
      'arn:aws:elasticloadbalancing:*:*:listener/app/*/*/*',
      'arn:aws:elasticloadbalancing:*:*:listener-rule/net/*/*/*',
      'arn:aws:elasticloadbalancing:*:*:listener-rule/app/*/*/*',
    ],
  },
  {
    actions: [
      'elasticloadbalancing:ModifyLoadBalancerAttributes',
      'elasticloadbalancing:SetIpAddressType',
      'elasticloadbalancing:SetSecurityGroups',
      'elasticloadbalancing:SetSubnets',
      'elasticloadbalancing:DeleteLoadBalancer',
      'elasticloadbalancing:ModifyTargetGroup',
      'elasticloadbalancing:ModifyTargetGroupAttributes',
      'elasticloadbalancing:DeleteTargetGroup',
      'elasticloadbalancing:ModifyListenerAttributes',
      'elasticloadbalancing:ModifyCapacityReservation',
      'elasticloadbalancing:ModifyIpPools',
    ],
    resources: ['*'],
    condition: [resourceTagged],
  },
  {
    actions: ['elasticloadbalancing:AddTags'],
    resources: LOAD_BALANCERS_AND_TARGET_GROUPS,
    condition: [
      {
        test: 'StringEquals',
        variable: 'elasticloadbalancing:CreateAction',
        values: ['CreateTargetGroup', 'CreateLoadBalancer'],
      },
      requestTagged,
    ],
  },
  {
    actions: ['elasticloadbalancing:RegisterTargets', 'elasticloadbalancing:DeregisterTargets'],
    resources: ['arn:aws:elasticloadbalancing:*:*:targetgroup/*/*'],
  },
  {
    actions: [
      'elasticloadbalancing:SetWebAcl',
      'elasticloadbalancing:ModifyListener',
      'elasticloadbalancing:AddListenerCertificates',
      'elasticloadbalancing:RemoveListenerCertificates',
      'elasticloadbalancing:ModifyRule',
      'elasticloadbalancing:SetRulePriorities',
    ],
    resources: ['*'],
  },
];

/** The published policy as typed statements; ids number them so they stay unique beside other grants. */
export const LOAD_BALANCER_CONTROLLER_POLICY: readonly DataAwsIamPolicyDocumentStatement[] = statements.map(
  (statement, i) => ({ sid: `LoadBalancerController${i}`, ...statement }),
);
