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
