import { ApiObject, type ApiObjectMetadata } from 'cdk8s';
import type { Construct } from 'constructs';

/** Any Kubernetes object as its typed model declares it. */
interface KubernetesObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata?: object;
}

/**
 * Renders a custom resource typed by its model package (`IApplication`,
 * `IExternalSecret`, ...). The type checks the object as it is written; the
 * schema validator checks the rendered result again, strictly.
 */
export function typedObject<T extends KubernetesObject>(scope: Construct, id: string, object: T): ApiObject {
  const { apiVersion, kind, metadata, ...body } = object;
  return new ApiObject(scope, id, { apiVersion, kind, metadata: metadata as ApiObjectMetadata, ...body });
}
