import type { IExternalSecret } from '@kubernetes-models/external-secrets/external-secrets.io/v1/ExternalSecret';
import { Construct } from 'constructs';
import { typedObject } from '../kernel/typed';
import { CLOUD_SECRET_STORE } from './store';

/** The Kubernetes Secret an ExternalSecret writes. */
export interface CloudSecretProps {
  /** Name of the ExternalSecret and of the Secret it creates. */
  readonly name: string;
  readonly namespace: string;
  /** Key of the value in the cloud secret store. */
  readonly remoteKey: string;
  /**
   * Secret data keys and the JSON property of the stored value each comes
   * from; `undefined` takes the whole stored value.
   */
  readonly keys: Readonly<Record<string, string | undefined>>;
  /** Secret type, e.g. `kubernetes.io/tls`; Opaque when absent. */
  readonly type?: string;
  /** Labels and annotations on the created Secret (Istio finds remote secrets by label). */
  readonly secretLabels?: Readonly<Record<string, string>>;
  readonly secretAnnotations?: Readonly<Record<string, string>>;
  /**
   * The created Secret's data as templates over `keys` (`{{ .password }}`),
   * for Secrets that mix a stored value with fixed fields such as a user name.
   * Only these keys are written when set.
   */
  readonly templateData?: Readonly<Record<string, string>>;
  /** Annotations on the ExternalSecret itself (an Argo CD sync wave, for one). */
  readonly annotations?: Readonly<Record<string, string>>;
}

/** One ExternalSecret copying a value of the cloud secret store into a namespace. */
export class CloudSecret extends Construct {
  constructor(scope: Construct, id: string, props: CloudSecretProps) {
    super(scope, id);
    const needsTemplate = props.type || props.secretLabels || props.secretAnnotations || props.templateData;
    typedObject<IExternalSecret>(this, 'external-secret', {
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: {
        name: props.name,
        namespace: props.namespace,
        ...(props.annotations ? { annotations: { ...props.annotations } } : {}),
      },
      spec: {
        // Rotation in the store reaches the cluster within the hour.
        refreshInterval: '1h',
        secretStoreRef: { kind: 'ClusterSecretStore', name: CLOUD_SECRET_STORE },
        target: {
          name: props.name,
          creationPolicy: 'Owner',
          ...(needsTemplate
            ? {
                template: {
                  ...(props.type ? { type: props.type } : {}),
                  ...(props.templateData
                    ? { engineVersion: 'v2' as const, data: { ...props.templateData } }
                    : {}),
                  ...(props.secretLabels || props.secretAnnotations
                    ? {
                        metadata: {
                          ...(props.secretLabels ? { labels: { ...props.secretLabels } } : {}),
                          ...(props.secretAnnotations ? { annotations: { ...props.secretAnnotations } } : {}),
                        },
                      }
                    : {}),
                },
              }
            : {}),
        },
        data: Object.entries(props.keys)
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([secretKey, property]) => ({
            secretKey,
            remoteRef: { key: props.remoteKey, ...(property ? { property } : {}) },
          })),
      },
    });
  }
}
