/** One rendered Kubernetes object and where it came from. */
export interface RenderedResource {
  /** Path of its file relative to the output root, e.g. `eks-prod/base/Namespace.ml-serving.yaml`. */
  readonly file: string;
  readonly cluster: string;
  readonly component: string;
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
  /** The construct that produced it, e.g. `base/network-ml-serving/default-deny`. */
  readonly constructPath: string;
  readonly object: Record<string, unknown>;
}
