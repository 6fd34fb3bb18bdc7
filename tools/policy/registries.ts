/**
 * Where container images may come from. Each cluster pulls from its own cloud
 * registry (`CloudProfile.imageRepository`), into which the platform's images
 * are built or mirrored. The list below adds the few upstream registries whose
 * publishers are also the authors of software the platform runs, for images a
 * chart renders directly rather than through the mirror. Extending it is a
 * security decision: say in `why` who publishes there and what for.
 */
export interface UpstreamRegistry {
  /** Normalised `host/path/` prefix an image must start with. */
  readonly prefix: string;
  readonly why: string;
}

export const UPSTREAM_REGISTRIES: readonly UpstreamRegistry[] = [
  {
    prefix: 'registry.k8s.io/',
    why: 'the Kubernetes project’s own registry (kube-state-metrics, metrics-server)',
  },
  { prefix: 'docker.io/istio/', why: 'Istio’s release images (proxyv2 for gateways and sidecars, pilot)' },
  { prefix: 'quay.io/prometheus/', why: 'Prometheus, Alertmanager and node-exporter releases' },
  { prefix: 'quay.io/prometheus-operator/', why: 'the Prometheus operator and its config reloader' },
  { prefix: 'quay.io/argoproj/', why: 'Argo CD releases' },
  { prefix: 'docker.elastic.co/', why: 'Elastic’s registry (Elasticsearch, Kibana, the ECK operator)' },
  { prefix: 'cr.fluentbit.io/fluent/', why: 'Fluent Bit’s release registry (log shipping DaemonSet)' },
  { prefix: 'ghcr.io/open-telemetry/', why: 'the OpenTelemetry collector releases' },
  { prefix: 'docker.io/jaegertracing/', why: 'Jaeger releases' },
];

/** An image reference split into its parts, with Docker Hub's implicit host and `library/` made explicit. */
export interface ImageReference {
  readonly host: string;
  readonly repository: string;
  readonly tag?: string;
  readonly digest?: string;
}

/**
 * Parses `[host[:port]/]path[:tag][@digest]` the way container runtimes do: the
 * first component is a host only if it has a dot or a port or is localhost.
 * (Written here because the grammar is short and no maintained CommonJS
 * parser is among the dependencies.)
 */
export function parseImage(image: string): ImageReference {
  const at = image.indexOf('@');
  const digest = at >= 0 ? image.slice(at + 1) : undefined;
  const named = at >= 0 ? image.slice(0, at) : image;
  const lastSlash = named.lastIndexOf('/');
  const colon = named.indexOf(':', lastSlash + 1);
  const tag = colon >= 0 ? named.slice(colon + 1) : undefined;
  const path = colon >= 0 ? named.slice(0, colon) : named;
  const [first, ...rest] = path.split('/');
  const firstIsHost = rest.length > 0 && (/[.:]/.test(first as string) || first === 'localhost');
  const host = firstIsHost ? (first as string) : 'docker.io';
  let repository = firstIsHost ? rest.join('/') : path;
  if (host === 'docker.io' && !repository.includes('/')) repository = `library/${repository}`;
  return {
    host,
    repository,
    ...(tag !== undefined ? { tag } : {}),
    ...(digest !== undefined ? { digest } : {}),
  };
}

/** `host/repository/`, the form allowed prefixes are compared with. */
export function imagePrefixForm(reference: ImageReference): string {
  return `${reference.host}/${reference.repository}/`;
}
