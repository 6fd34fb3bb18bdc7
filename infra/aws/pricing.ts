import type { DataAwsIamPolicyDocumentStatement } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';

/**
 * What OpenCost (platform/cost) needs of AWS to price a cluster, granted to a workload whose entry
 * `readsPrices`. On-demand prices come from AWS's public price list files
 * (`pricing.us-east-1.amazonaws.com/offers/v1.0/aws/AmazonEC2/current/<region>/index.json`,
 * pkg/cloud/aws/provider.go `getRegionPricing`): no credentials, so no `pricing:*` action. Spot
 * nodes are priced from EC2's spot price history when no spot data feed is configured (OpenCost
 * pull requests #3348/#3730, issue #3995: without the action it falls back to on-demand prices);
 * EC2 offers no resource-level permission for it, hence `*`.
 *
 * Not granted: the optional spot data feed bucket (none is configured; `s3:GetObject` and
 * `s3:ListBucket` on that bucket once one is), Athena and the Cost and Usage Report (Cloud Costs,
 * off), and the EC2 volume and address listings behind OpenCost's orphaned-resources endpoint.
 */
export const PRICE_READER_STATEMENTS: readonly DataAwsIamPolicyDocumentStatement[] = [
  { sid: 'SpotPriceHistory', actions: ['ec2:DescribeSpotPriceHistory'], resources: ['*'] },
];
