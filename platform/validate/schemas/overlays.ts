/**
 * Differences between the CRD a model package was generated from and the CRD
 * of the version the fleet deploys, applied to the generated definitions.
 * Each entry names both versions and what changed, found by reading the CRDs
 * of every kind the repository renders at both tags.
 */
type Definitions = Record<string, unknown>;

/** One documented difference: the apiVersion it concerns and how it edits the generated definitions. */
interface Overlay {
  readonly apiVersion: string;
  /** Model version → deployed version, and what the deployed CRD says differently. */
  readonly reason: string;
  readonly apply: (definitions: Definitions) => void;
}

export const OVERLAYS: readonly Overlay[] = [];

/** Applies the overlays of one apiVersion, failing when one no longer finds what it edits. */
export function applyOverlays(apiVersion: string, definitions: Definitions): void {
  for (const overlay of OVERLAYS.filter((o) => o.apiVersion === apiVersion)) overlay.apply(definitions);
}
