/**
 * The fields of ECK's Elasticsearch and Kibana custom resources the platform
 * sets. No typed model package exists for ECK, so these are written by hand
 * from ECK's API reference (elasticsearch.k8s.elastic.co/v1,
 * kibana.k8s.elastic.co/v1); the validator's schemas are generated from them,
 * so a field ECK does not have (or one of the wrong type) fails validation.
 * Add a field here, from the reference, before using it.
 */
import type { IObjectMeta } from '@kubernetes-models/apimachinery/apis/meta/v1/ObjectMeta';
import type { IPersistentVolumeClaimSpec } from 'kubernetes-models/v1/PersistentVolumeClaimSpec';
import type { IPodTemplateSpec } from 'kubernetes-models/v1/PodTemplateSpec';

/** A reference to a Secret in the resource's namespace. */
export interface SecretSource {
  readonly secretName: string;
}

/** HTTP layer settings shared by Elasticsearch and Kibana (`HTTPConfig` in the reference). */
export interface HttpConfig {
  readonly service?: { readonly spec?: { readonly type?: 'ClusterIP' | 'LoadBalancer' | 'NodePort' } };
  readonly tls?: {
    /** ECK's self-signed certificate; `disabled` turns TLS off (never done here). */
    readonly selfSignedCertificate?: {
      readonly disabled?: boolean;
      readonly subjectAltNames?: readonly { readonly dns?: string; readonly ip?: string }[];
    };
    /** A certificate of one's own instead of the self-signed one. */
    readonly certificate?: SecretSource;
  };
}

/** A group of Elasticsearch nodes with the same configuration (`NodeSet`). */
export interface NodeSet {
  /** Name; part of the pods' and volumes' names. */
  readonly name: string;
  /** Number of nodes. */
  readonly count: number;
  /** elasticsearch.yml settings for these nodes (free-form in the CRD). */
  readonly config?: Readonly<Record<string, unknown>>;
  /** Pod template merged over ECK's defaults; the container is named `elasticsearch`. */
  readonly podTemplate?: IPodTemplateSpec;
  /** Volumes per node; ECK mounts the one named `elasticsearch-data` as the data path. */
  readonly volumeClaimTemplates?: readonly {
    readonly metadata: { readonly name: string };
    readonly spec: IPersistentVolumeClaimSpec;
  }[];
}

/** `ElasticsearchSpec`. */
export interface ElasticsearchSpec {
  /** Elastic Stack version, e.g. `8.17.0`. */
  readonly version: string;
  readonly http?: HttpConfig;
  readonly nodeSets: readonly NodeSet[];
  /** Users and roles beyond ECK's own (`Auth`). */
  readonly auth?: {
    readonly roles?: readonly SecretSource[];
    /** Secrets of users (basic-auth Secrets with a `roles` key, or users/users_roles files). */
    readonly fileRealm?: readonly SecretSource[];
  };
  /**
   * Secrets whose keys ECK loads into every node's keystore (`SecretSource` array): settings
   * Elasticsearch reads from the keystore only.
   */
  readonly secureSettings?: readonly SecretSource[];
  /** How many nodes may be down during changes ECK makes (`UpdateStrategy`). */
  readonly updateStrategy?: {
    readonly changeBudget?: { readonly maxUnavailable?: number; readonly maxSurge?: number };
  };
  /** Settings for ECK's PodDisruptionBudget; ECK creates one allowing one node down by default. */
  readonly podDisruptionBudget?: { readonly spec?: { readonly maxUnavailable?: number } };
}

export interface IElasticsearch {
  readonly apiVersion: 'elasticsearch.k8s.elastic.co/v1';
  readonly kind: 'Elasticsearch';
  readonly metadata: IObjectMeta;
  readonly spec: ElasticsearchSpec;
}

/** `KibanaSpec`. */
export interface KibanaSpec {
  readonly version: string;
  readonly count: number;
  /** The Elasticsearch cluster Kibana connects to (ECK wires credentials and CA). */
  readonly elasticsearchRef: { readonly name: string; readonly namespace?: string };
  readonly http?: HttpConfig;
  /** kibana.yml settings (free-form in the CRD). */
  readonly config?: Readonly<Record<string, unknown>>;
  /** Pod template merged over ECK's defaults; the container is named `kibana`. */
  readonly podTemplate?: IPodTemplateSpec;
}

export interface IKibana {
  readonly apiVersion: 'kibana.k8s.elastic.co/v1';
  readonly kind: 'Kibana';
  readonly metadata: IObjectMeta;
  readonly spec: KibanaSpec;
}
