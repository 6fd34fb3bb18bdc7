/**
 * Velero, pinned. Chart velero 11.4.0 (vmware-tanzu/helm-charts, tag velero-11.4.0) ships Velero
 * 1.17.1; the image is set to the 1.17.2 patch. 1.17 is the n-1 minor the maintainers support
 * beside 1.18 (site/content/docs/main/support-process.md); 1.18's plugins (v1.14) are not readable
 * in the stored snapshots, while the 1.17 plugins v1.13.2 are (their READMEs: v1.13.x ↔ Velero 1.17.x).
 */
export const VELERO = {
  repoURL: 'https://vmware-tanzu.github.io/helm-charts',
  chart: 'velero',
  chartVersion: '11.4.0',
  image: { repository: 'docker.io/velero/velero', tag: 'v1.17.2' },
  /** Tag of the maintainers' plugins for AWS, GCP and Azure that goes with Velero 1.17. */
  pluginTag: 'v1.13.2',
} as const;
