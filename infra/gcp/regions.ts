/**
 * The AWS region nearest each Google Cloud region the fleet may use: Route 53 latency records name
 * AWS regions only, so a GKE cluster's record stands in that region (infra/global/endpoint.ts).
 */
const NEAREST_AWS_REGION: Readonly<Record<string, string>> = {
  'us-central1': 'us-east-2',
  'us-east1': 'us-east-1',
  'us-east4': 'us-east-1',
  'us-west1': 'us-west-2',
  'us-west2': 'us-west-1',
  'europe-west1': 'eu-west-3',
  'europe-west2': 'eu-west-2',
  'europe-west3': 'eu-central-1',
  'europe-west4': 'eu-central-1',
  'europe-north1': 'eu-north-1',
  'asia-northeast1': 'ap-northeast-1',
  'asia-southeast1': 'ap-southeast-1',
  'australia-southeast1': 'ap-southeast-2',
};

/** The AWS region a Route 53 latency record of a GKE cluster names. */
export function nearestAwsRegion(region: string): string {
  const nearest = NEAREST_AWS_REGION[region];
  if (!nearest) {
    throw new Error(
      `Google Cloud region "${region}" has no nearest AWS region for latency routing; known: ${Object.keys(NEAREST_AWS_REGION).join(', ')} (infra/gcp/regions.ts)`,
    );
  }
  return nearest;
}
