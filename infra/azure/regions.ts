/**
 * Azure's region pairs (https://learn.microsoft.com/azure/reliability/cross-region-replication-azure):
 * geo-replicas of the registry go to the pair, where geo-redundant backups of
 * the database and storage land too. Only regions the fleet may use are listed;
 * a cluster in another region fails synthesis with the list.
 */
const PAIRED_REGIONS: Readonly<Record<string, string>> = {
  eastus: 'westus',
  eastus2: 'centralus',
  centralus: 'eastus2',
  westus: 'eastus',
  westus2: 'westcentralus',
  westus3: 'eastus',
  northeurope: 'westeurope',
  westeurope: 'northeurope',
  uksouth: 'ukwest',
  germanywestcentral: 'germanynorth',
  swedencentral: 'swedensouth',
  japaneast: 'japanwest',
  australiaeast: 'australiasoutheast',
  southeastasia: 'eastasia',
};

/** The paired region of an Azure region. */
export function pairedRegion(region: string): string {
  const pair = PAIRED_REGIONS[region];
  if (!pair) {
    throw new Error(
      `Azure region "${region}" has no known pair; known: ${Object.keys(PAIRED_REGIONS).join(', ')} (infra/azure/regions.ts)`,
    );
  }
  return pair;
}

/**
 * Regions of the table above without availability zones
 * (https://learn.microsoft.com/azure/reliability/regions-list; from memory of that list, not fetched
 * here: re-check before adding a region). Services there refuse zone redundancy, so replicas placed in
 * them must not ask for it; a region wrongly listed here only loses zone redundancy, never fails.
 */
const REGIONS_WITHOUT_ZONES: ReadonlySet<string> = new Set([
  'westus',
  'westcentralus',
  'ukwest',
  'germanynorth',
  'swedensouth',
  'japanwest',
  'australiasoutheast',
]);

/** Whether an Azure region of the pair table has availability zones. */
export function hasAvailabilityZones(region: string): boolean {
  pairedRegion(region); // a region outside the table fails with the list of known ones
  return !REGIONS_WITHOUT_ZONES.has(region);
}

/**
 * The AWS region nearest each Azure region the fleet may use: Route 53 latency records name AWS
 * regions only, so an Azure cluster's record stands in that region (infra/global/endpoint.ts).
 */
const NEAREST_AWS_REGION: Readonly<Record<string, string>> = {
  eastus: 'us-east-1',
  eastus2: 'us-east-1',
  centralus: 'us-east-2',
  westus: 'us-west-1',
  westus2: 'us-west-2',
  westus3: 'us-west-2',
  northeurope: 'eu-west-1',
  westeurope: 'eu-central-1',
  uksouth: 'eu-west-2',
  germanywestcentral: 'eu-central-1',
  swedencentral: 'eu-north-1',
  japaneast: 'ap-northeast-1',
  australiaeast: 'ap-southeast-2',
  southeastasia: 'ap-southeast-1',
};

/** The AWS region a Route 53 latency record of an Azure cluster names. */
export function nearestAwsRegion(region: string): string {
  const nearest = NEAREST_AWS_REGION[region];
  if (!nearest) {
    throw new Error(
      `Azure region "${region}" has no nearest AWS region for latency routing; known: ${Object.keys(NEAREST_AWS_REGION).join(', ')} (infra/azure/regions.ts)`,
    );
  }
  return nearest;
}
