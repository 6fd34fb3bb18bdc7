/**
 * The kinds the validator knows, one interface per apiVersion mapping each
 * kind to its typed model. `npm run schemas` turns each interface into a
 * strict JSON Schema bundle (every object closed with
 * `additionalProperties: false`, as kubeconform -strict does) in
 * `<group>_<version>.json` beside this file. A kind missing here is reported as
 * "no schema" by the validator: add it here and regenerate, never skip it.
 *
 * The schemas follow the versions the fleet deploys. The models come from
 * kubernetes-models 5.1.0 (the Kubernetes 1.36.0 API; no release follows 1.35,
 * 4.5.1 is 1.33), @kubernetes-models/istio 3.0.1 (Istio 1.29.2 CRDs),
 * argo-cd 4.0.0 (Argo CD v3.3.9), prometheus-operator 6.0.0 (v0.91.0),
 * external-secrets 2.0.0 (ESO v0.16.2) and elastic-cloud 2.0.0 (ECK v3.3.2);
 * overlays.ts turns each into what is deployed: Kubernetes 1.35, Istio
 * 1.30.3, Argo CD v3.4.4, prometheus-operator v0.93.1, External Secrets v2.9.0
 * and ECK 3.5.0, and names every difference it applies.
 */
import type { IApplication } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application';
import type { IApplicationSet } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/ApplicationSet';
import type { IAppProject } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/AppProject';
import type { IElasticsearch } from '@kubernetes-models/elastic-cloud/elasticsearch.k8s.elastic.co/v1/Elasticsearch';
import type { IKibana } from '@kubernetes-models/elastic-cloud/kibana.k8s.elastic.co/v1/Kibana';
import type { IClusterSecretStore } from '@kubernetes-models/external-secrets/external-secrets.io/v1/ClusterSecretStore';
import type { IExternalSecret } from '@kubernetes-models/external-secrets/external-secrets.io/v1/ExternalSecret';
import type { ISecretStore } from '@kubernetes-models/external-secrets/external-secrets.io/v1/SecretStore';
import type { IDestinationRule } from '@kubernetes-models/istio/networking.istio.io/v1/DestinationRule';
import type { IGateway } from '@kubernetes-models/istio/networking.istio.io/v1/Gateway';
import type { IServiceEntry } from '@kubernetes-models/istio/networking.istio.io/v1/ServiceEntry';
import type { ISidecar } from '@kubernetes-models/istio/networking.istio.io/v1/Sidecar';
import type { IVirtualService } from '@kubernetes-models/istio/networking.istio.io/v1/VirtualService';
import type { IAuthorizationPolicy } from '@kubernetes-models/istio/security.istio.io/v1/AuthorizationPolicy';
import type { IPeerAuthentication } from '@kubernetes-models/istio/security.istio.io/v1/PeerAuthentication';
import type { IRequestAuthentication } from '@kubernetes-models/istio/security.istio.io/v1/RequestAuthentication';
import type { ITelemetry } from '@kubernetes-models/istio/telemetry.istio.io/v1/Telemetry';
import type { IAlertmanager } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/Alertmanager';
import type { IPodMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor';
import type { IPrometheus } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/Prometheus';
import type { IPrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule';
import type { IServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor';
import type { IAlertmanagerConfig } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1alpha1/AlertmanagerConfig';
import type { ICustomResourceDefinition } from 'kubernetes-models/apiextensions.k8s.io/v1/CustomResourceDefinition';
import type { IDaemonSet } from 'kubernetes-models/apps/v1/DaemonSet';
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IStatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import type { ICronJob } from 'kubernetes-models/batch/v1/CronJob';
import type { IJob } from 'kubernetes-models/batch/v1/Job';
import type { IIngress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import type { IClusterRole } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole';
import type { IClusterRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding';
import type { IRole } from 'kubernetes-models/rbac.authorization.k8s.io/v1/Role';
import type { IRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding';
import type { IPriorityClass } from 'kubernetes-models/scheduling.k8s.io/v1/PriorityClass';
import type { IStorageClass } from 'kubernetes-models/storage.k8s.io/v1/StorageClass';
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { ILimitRange } from 'kubernetes-models/v1/LimitRange';
import type { INamespace } from 'kubernetes-models/v1/Namespace';
import type { IPersistentVolume } from 'kubernetes-models/v1/PersistentVolume';
import type { IPersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim';
import type { IResourceQuota } from 'kubernetes-models/v1/ResourceQuota';
import type { ISecret } from 'kubernetes-models/v1/Secret';
import type { IService } from 'kubernetes-models/v1/Service';
import type { IServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import type { IVeleroSchedule } from '../../../platform/backup/schedule-types';
import type { IVolumeSnapshotClass } from '../../../platform/backup/volume-types';

export interface CoreV1 {
  ConfigMap: IConfigMap;
  LimitRange: ILimitRange;
  Namespace: INamespace;
  PersistentVolume: IPersistentVolume;
  PersistentVolumeClaim: IPersistentVolumeClaim;
  ResourceQuota: IResourceQuota;
  Secret: ISecret;
  Service: IService;
  ServiceAccount: IServiceAccount;
}

export interface AppsV1 {
  DaemonSet: IDaemonSet;
  Deployment: IDeployment;
  StatefulSet: IStatefulSet;
}

export interface AutoscalingV2 {
  HorizontalPodAutoscaler: IHorizontalPodAutoscaler;
}

export interface BatchV1 {
  CronJob: ICronJob;
  Job: IJob;
}

export interface PolicyV1 {
  PodDisruptionBudget: IPodDisruptionBudget;
}

export interface NetworkingV1 {
  Ingress: IIngress;
  NetworkPolicy: INetworkPolicy;
}

export interface RbacV1 {
  ClusterRole: IClusterRole;
  ClusterRoleBinding: IClusterRoleBinding;
  Role: IRole;
  RoleBinding: IRoleBinding;
}

export interface SchedulingV1 {
  PriorityClass: IPriorityClass;
}

export interface StorageV1 {
  StorageClass: IStorageClass;
}

export interface ApiextensionsV1 {
  CustomResourceDefinition: ICustomResourceDefinition;
}

export interface IstioNetworkingV1 {
  DestinationRule: IDestinationRule;
  Gateway: IGateway;
  ServiceEntry: IServiceEntry;
  Sidecar: ISidecar;
  VirtualService: IVirtualService;
}

export interface IstioSecurityV1 {
  AuthorizationPolicy: IAuthorizationPolicy;
  PeerAuthentication: IPeerAuthentication;
  RequestAuthentication: IRequestAuthentication;
}

export interface IstioTelemetryV1 {
  Telemetry: ITelemetry;
}

export interface MonitoringV1 {
  Alertmanager: IAlertmanager;
  PodMonitor: IPodMonitor;
  Prometheus: IPrometheus;
  PrometheusRule: IPrometheusRule;
  ServiceMonitor: IServiceMonitor;
}

export interface MonitoringV1alpha1 {
  AlertmanagerConfig: IAlertmanagerConfig;
}

export interface ExternalSecretsV1 {
  ClusterSecretStore: IClusterSecretStore;
  ExternalSecret: IExternalSecret;
  SecretStore: ISecretStore;
}

export interface ElasticsearchV1 {
  Elasticsearch: IElasticsearch;
}

export interface KibanaV1 {
  Kibana: IKibana;
}

/** Velero's Schedule, typed in the repository from the CRD of the pinned chart (no model package exists). */
export interface VeleroV1 {
  Schedule: IVeleroSchedule;
}

/** The CSI snapshot API's class, typed in the repository from its CRD (no model package exists). */
export interface SnapshotStorageV1 {
  VolumeSnapshotClass: IVolumeSnapshotClass;
}

export interface ArgoprojV1alpha1 {
  Application: IApplication;
  ApplicationSet: IApplicationSet;
  AppProject: IAppProject;
}

/**
 * Package of an apiVersion's models. Only their TypeScript declarations and,
 * while `npm run schemas` runs, their compiled validators are used (these
 * packages ship ES modules only, so the validator itself loads nothing from
 * them; the generator imports them to learn what the types cannot say:
 * integers, property counts).
 */
type ModelPackage =
  | 'kubernetes-models'
  | '@kubernetes-models/istio'
  | '@kubernetes-models/argo-cd'
  | '@kubernetes-models/prometheus-operator'
  | '@kubernetes-models/external-secrets'
  | '@kubernetes-models/elastic-cloud'
  /** Types written in the repository from a CRD: no compiled validator to ask for integers. */
  | 'repository';

/** Each apiVersion: the interface above that lists its kinds, and the package of its models. */
export const SCHEMA_BUNDLES: Record<string, { readonly type: string; readonly models: ModelPackage }> = {
  v1: { type: 'CoreV1', models: 'kubernetes-models' },
  'apps/v1': { type: 'AppsV1', models: 'kubernetes-models' },
  'autoscaling/v2': { type: 'AutoscalingV2', models: 'kubernetes-models' },
  'batch/v1': { type: 'BatchV1', models: 'kubernetes-models' },
  'policy/v1': { type: 'PolicyV1', models: 'kubernetes-models' },
  'networking.k8s.io/v1': { type: 'NetworkingV1', models: 'kubernetes-models' },
  'rbac.authorization.k8s.io/v1': { type: 'RbacV1', models: 'kubernetes-models' },
  'scheduling.k8s.io/v1': { type: 'SchedulingV1', models: 'kubernetes-models' },
  'storage.k8s.io/v1': { type: 'StorageV1', models: 'kubernetes-models' },
  'apiextensions.k8s.io/v1': { type: 'ApiextensionsV1', models: 'kubernetes-models' },
  'networking.istio.io/v1': { type: 'IstioNetworkingV1', models: '@kubernetes-models/istio' },
  'security.istio.io/v1': { type: 'IstioSecurityV1', models: '@kubernetes-models/istio' },
  'telemetry.istio.io/v1': { type: 'IstioTelemetryV1', models: '@kubernetes-models/istio' },
  'monitoring.coreos.com/v1': { type: 'MonitoringV1', models: '@kubernetes-models/prometheus-operator' },
  'monitoring.coreos.com/v1alpha1': {
    type: 'MonitoringV1alpha1',
    models: '@kubernetes-models/prometheus-operator',
  },
  'argoproj.io/v1alpha1': { type: 'ArgoprojV1alpha1', models: '@kubernetes-models/argo-cd' },
  'external-secrets.io/v1': { type: 'ExternalSecretsV1', models: '@kubernetes-models/external-secrets' },
  'elasticsearch.k8s.elastic.co/v1': { type: 'ElasticsearchV1', models: '@kubernetes-models/elastic-cloud' },
  'kibana.k8s.elastic.co/v1': { type: 'KibanaV1', models: '@kubernetes-models/elastic-cloud' },
  'velero.io/v1': { type: 'VeleroV1', models: 'repository' },
  'snapshot.storage.k8s.io/v1': { type: 'SnapshotStorageV1', models: 'repository' },
};
