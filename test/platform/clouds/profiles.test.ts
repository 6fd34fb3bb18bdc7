import { loadDeclaredFleet } from '../../../clusters';
import type {
  AwsClusterSpec,
  AzureClusterSpec,
  ClusterSpec,
  GcpClusterSpec,
  NodePool,
} from '../../../clusters/types';
import { profileFor } from '../../../platform/clouds';

const fleet = loadDeclaredFleet();
const byCloud = <C extends ClusterSpec>(cloud: C['cloud']) =>
  fleet.clusters.find((c) => c.cloud === cloud) as C;
const aws = byCloud<AwsClusterSpec>('aws');
const gcp = byCloud<GcpClusterSpec>('gcp');
const azure = byCloud<AzureClusterSpec>('azure');
const azureOutputs = {
  workloadIdentityClientIds: { 'model-serving': '0b6a3c0e-5f7d-4a8e-9b1c-2d3e4f5a6b7c' },
};

const poolOf = (cluster: ClusterSpec, role: NodePool['role']) => {
  const pool = cluster.nodePools.find((p) => p.role === role);
  if (!pool) throw new Error(`${cluster.name} has no ${role} pool`);
  return pool;
};

describe('AWS profile', () => {
  const profile = profileFor(aws);

  it('uses EBS CSI storage classes', () => {
    expect([profile.storageClass('standard'), profile.storageClass('fast')]).toEqual(['gp3', 'io2']);
  });

  it('makes NLBs through the AWS Load Balancer Controller with the right scheme', () => {
    expect(profile.loadBalancerAnnotations('internal')).toMatchObject({
      'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internal',
      'service.beta.kubernetes.io/aws-load-balancer-type': 'external',
    });
    expect(
      profile.loadBalancerAnnotations('external')['service.beta.kubernetes.io/aws-load-balancer-scheme'],
    ).toBe('internet-facing');
  });

  it('binds a ServiceAccount to an IAM role through IRSA', () => {
    expect(
      profile.workloadIdentity('model-serving').serviceAccountAnnotations['eks.amazonaws.com/role-arn'],
    ).toBe(`arn:aws:iam::${aws.accountId}:role/eks-prod-model-serving`);
  });

  it('selects the managed node group and tolerates the pool taints only', () => {
    expect(profile.nodePlacement(poolOf(aws, 'gpu'))).toEqual({
      nodeSelector: { 'eks.amazonaws.com/nodegroup': 'gpu' },
      tolerations: [{ key: 'nvidia.com/gpu', operator: 'Equal', value: 'present', effect: 'NoSchedule' }],
    });
    expect(profile.nodePlacement(poolOf(aws, 'general')).tolerations).toEqual([]);
  });

  it('reads models from S3 and images from ECR', () => {
    expect(profile.modelStorage('fraud-detector')).toEqual({
      kind: 'object-store',
      uri: `s3://mlp-eks-prod-models-${aws.accountId}/fraud-detector`,
      env: { AWS_REGION: 'us-east-1', S3_USE_HTTPS: '1', S3_VERIFY_SSL: '1' },
    });
    expect(profile.objectUri('data-lake', 'batch/in')).toBe(
      `s3://mlp-eks-prod-data-lake-${aws.accountId}/batch/in`,
    );
    expect(profile.rcloneRemote('models')).toEqual({
      settings: { TYPE: 's3', PROVIDER: 'AWS', ENV_AUTH: 'true', REGION: 'us-east-1' },
      bucket: `mlp-eks-prod-models-${aws.accountId}`,
    });
    expect(profile.registryHost()).toBe(`${aws.accountId}.dkr.ecr.us-east-1.amazonaws.com`);
  });
  it('snapshots logs to S3 with IRSA: the token projected where Elasticsearch reads one, the role named', () => {
    const storage = profile.logSnapshotStorage();
    expect(storage).toMatchObject({
      type: 's3',
      bucket: `mlp-eks-prod-log-snapshots-${aws.accountId}`,
      settings: { bucket: `mlp-eks-prod-log-snapshots-${aws.accountId}` },
      nodeConfig: { 's3.client.default.region': aws.region },
      keystoreSettings: {},
      token: {
        configSubdirectory: 'repository-s3',
        file: 'aws-web-identity-token-file',
        audience: 'sts.amazonaws.com',
        fileEnv: 'AWS_WEB_IDENTITY_TOKEN_FILE',
      },
    });
    expect(storage.env.AWS_ROLE_ARN).toBe(`arn:aws:iam::${aws.accountId}:role/eks-prod-elasticsearch`);
  });
});

describe('GCP profile', () => {
  const profile = profileFor(gcp);

  it('uses PD CSI storage classes', () => {
    expect([profile.storageClass('standard'), profile.storageClass('fast')]).toEqual([
      'standard-rwo',
      'premium-rwo',
    ]);
  });

  it('marks internal load balancers for GKE and uses backend-service NLBs externally', () => {
    expect(profile.loadBalancerAnnotations('internal')).toEqual({
      'networking.gke.io/load-balancer-type': 'Internal',
    });
    expect(profile.loadBalancerAnnotations('external')).toEqual({ 'cloud.google.com/l4-rbs': 'enabled' });
  });

  it('binds a ServiceAccount to a Google service account', () => {
    expect(profile.workloadIdentity('model-serving').serviceAccountAnnotations).toEqual({
      'iam.gke.io/gcp-service-account': 'gke-prod-model-serving@ml-platform-prod.iam.gserviceaccount.com',
    });
  });

  it('tolerates the spot taint GKE spot pools carry, selecting the spot pool and its fallback by role', () => {
    expect(profile.nodePlacement(poolOf(gcp, 'ml'))).toEqual({
      nodeSelector: { 'platform.ml/pool-role': 'ml' },
      tolerations: [
        { key: 'workload', operator: 'Equal', value: 'ml', effect: 'NoSchedule' },
        { key: 'cloud.google.com/gke-spot', operator: 'Equal', value: 'true', effect: 'NoSchedule' },
      ],
    });
  });

  it('reads models from GCS and images from Artifact Registry', () => {
    expect(profile.modelStorage('image-classifier')).toEqual({
      kind: 'object-store',
      uri: 'gs://ml-platform-prod-gke-prod-models/image-classifier',
      env: {},
    });
    expect(profile.rcloneRemote('data-lake').settings.TYPE).toBe('google cloud storage');
    expect(profile.imageRepository('gateway')).toBe(
      'us-central1-docker.pkg.dev/ml-platform-prod/gke-prod-images/gateway',
    );
  });
  it('snapshots logs to GCS through the metadata server: no token, no key', () => {
    expect(profile.logSnapshotStorage()).toEqual({
      type: 'gcs',
      bucket: 'ml-platform-prod-gke-prod-log-snapshots',
      settings: { bucket: 'ml-platform-prod-gke-prod-log-snapshots' },
      nodeConfig: {},
      keystoreSettings: {},
      env: {},
    });
  });
});

describe('Azure profile', () => {
  const profile = profileFor(azure, azureOutputs);

  it('uses Azure Disk CSI storage classes', () => {
    expect([profile.storageClass('standard'), profile.storageClass('fast')]).toEqual([
      'managed-csi',
      'managed-csi-premium',
    ]);
  });

  it('makes a load balancer internal only when asked', () => {
    expect(profile.loadBalancerAnnotations('internal')).toEqual({
      'service.beta.kubernetes.io/azure-load-balancer-internal': 'true',
    });
    expect(profile.loadBalancerAnnotations('external')).toEqual({});
  });

  it('binds a ServiceAccount with Azure Workload Identity from the recorded client id', () => {
    expect(profile.workloadIdentity('model-serving')).toEqual({
      serviceAccountAnnotations: {
        'azure.workload.identity/client-id': azureOutputs.workloadIdentityClientIds['model-serving'],
      },
      serviceAccountLabels: { 'azure.workload.identity/use': 'true' },
      podLabels: { 'azure.workload.identity/use': 'true' },
    });
  });

  it('says which outputs file lacks a client id instead of rendering a guess', () => {
    expect(() => profileFor(azure, { workloadIdentityClientIds: {} }).workloadIdentity('gateway')).toThrow(
      /^clusters\/aks-prod\.outputs\.json: workloadIdentityClientIds\.gateway: missing/,
    );
  });

  it('selects the agent pool by its AKS name, and a spot pair by role tolerating the spot taint AKS adds', () => {
    expect(profile.nodePlacement(poolOf(azure, 'gpu')).nodeSelector).toEqual({
      'kubernetes.azure.com/agentpool': 'gpu',
    });
    expect(profile.nodePlacement(poolOf(azure, 'ml'))).toEqual({
      nodeSelector: { 'platform.ml/pool-role': 'ml' },
      tolerations: [
        { key: 'workload', operator: 'Equal', value: 'ml', effect: 'NoSchedule' },
        {
          key: 'kubernetes.azure.com/scalesetpriority',
          operator: 'Equal',
          value: 'spot',
          effect: 'NoSchedule',
        },
      ],
    });
  });

  it('mounts models through the Blob CSI driver, since TF Serving cannot read Azure Blob', () => {
    expect(profile.modelStorage('fraud-detector')).toEqual({
      kind: 'blob-csi',
      storageAccount: 'mlpaksprod6f1c',
      containerName: 'models',
      resourceGroup: 'rg-ml-platform-prod',
      containerPath: 'fraud-detector',
      clientId: azureOutputs.workloadIdentityClientIds['model-serving'],
    });
    expect(profile.objectUri('data-lake', 'feast/registry.db')).toBe(
      'abfss://data-lake@mlpaksprod6f1c.dfs.core.windows.net/feast/registry.db',
    );
    expect(profile.registryHost()).toBe('mlpaksprod.azurecr.io');
  });

  it('snapshots logs to Blob with Azure Workload Identity: the account name in the keystore, no key, no SAS', () => {
    const storage = profile.logSnapshotStorage();
    expect(storage).toEqual({
      type: 'azure',
      bucket: 'log-snapshots',
      storageAccount: 'mlpaksprod6f1c',
      settings: { container: 'log-snapshots' },
      nodeConfig: {},
      keystoreSettings: { 'azure.client.default.account': 'mlpaksprod6f1c' },
      env: {},
      token: {
        volume: 'azure-identity-token',
        configSubdirectory: 'azure/tokens',
        file: 'azure-identity-token',
        audience: 'api://AzureADTokenExchange',
        fileEnv: 'AZURE_FEDERATED_TOKEN_FILE',
      },
    });
    expect(Object.keys(storage.keystoreSettings).some((key) => /key|sas_token/.test(key))).toBe(false);
  });
});
