/**
 * OpenCost, pinned. Chart opencost 2.5.17 (opencost/opencost-helm-chart, tag opencost-2.5.17) ships
 * OpenCost 1.120.1, the image the chart pins by digest. OpenCost releases from one line: the newest
 * release is the supported one (docs/versions.md).
 */
export const OPENCOST = {
  repoURL: 'https://opencost.github.io/opencost-helm-chart',
  chart: 'opencost',
  chartVersion: '2.5.17',
  /** The chart's own `opencost.exporter.image` at 2.5.17, repeated so the tag is reviewed with the chart. */
  image: {
    registry: 'ghcr.io',
    repository: 'opencost/opencost',
    tag: '1.120.1@sha256:b0701f9b54e43c9abee98f5784792a5b469ca8951e87da32b161c1fa539ab0e1',
  },
} as const;
