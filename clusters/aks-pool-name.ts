/**
 * Apart from `naming.ts` because the schema needs it and `naming.ts` needs the types derived
 * from the schema: kept here, the contract's modules import each other in one direction only.
 */

/** AKS agent pool name for a fleet pool: Azure allows only lowercase letters and digits. */
export function aksAgentPoolName(poolName: string): string {
  return poolName.replace(/[^a-z0-9]/g, '');
}
