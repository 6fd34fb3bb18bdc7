/**
 * Kubernetes resource quantities as numbers. Only the forms the fleet writes
 * (and Prometheus reports) are needed: CPU in cores or millicores, memory with
 * binary or decimal suffixes.
 */

const MEMORY_FACTORS: Readonly<Record<string, number>> = {
  '': 1,
  Ki: 1024,
  Mi: 1024 ** 2,
  Gi: 1024 ** 3,
  Ti: 1024 ** 4,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
};

/** CPU quantity (`2`, `0.5`, `250m`) in cores. */
export function cpuCores(quantity: string): number {
  const match = /^(\d+(?:\.\d+)?)(m?)$/.exec(quantity);
  if (!match) throw new Error(`not a CPU quantity: ${quantity}`);
  return Number(match[1]) / (match[2] ? 1000 : 1);
}

/** Memory quantity (`512Mi`, `8Gi`, `1G`, bytes) in bytes. */
export function memoryBytes(quantity: string): number {
  const match = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|k|M|G|T)?$/.exec(quantity);
  if (!match) throw new Error(`not a memory quantity: ${quantity}`);
  return Number(match[1]) * MEMORY_FACTORS[match[2] ?? ''];
}

/** Bytes as GiB. */
export const GIB = 1024 ** 3;

/** Cores as the shortest quantity Kubernetes reads: whole cores, else millicores. */
export function formatCpu(cores: number): string {
  // Rounded to micro-cores first: a measured 0.48 may arrive as 0.48000000001 and must stay 480m.
  const millicores = Math.ceil(Math.round(cores * 1e6) / 1e3);
  return millicores % 1000 === 0 ? String(millicores / 1000) : `${millicores}m`;
}

/** Bytes as a Mi quantity, rounded up. */
export function formatMemory(bytes: number): string {
  const mebibytes = Math.ceil(Math.round((bytes / 1024 ** 2) * 1e3) / 1e3);
  return mebibytes % 1024 === 0 ? `${mebibytes / 1024}Gi` : `${mebibytes}Mi`;
}
