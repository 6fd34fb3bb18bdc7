import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadClusterOutputs, outputsFile, requireOutput } from '../../clusters/outputs';
import { outputsFromTerraform, placeholderOutputs, STACK_OUTPUTS } from '../../infra/outputs';
import { renderTerraform } from '../../infra/render';
import { terraformFile } from '../../tools/tree/layout';
import { fleet } from './helpers';

const fixture = JSON.parse(
  readFileSync(join(__dirname, 'fixtures', 'terraform-output.aks-prod.json'), 'utf8'),
);

describe('outputs from terraform output -json', () => {
  it('maps the stack outputs onto the outputs file fields', () => {
    expect(outputsFromTerraform('aks-prod', fixture)).toEqual({
      workloadIdentityClientIds: fixture.workload_identity_client_ids.value,
      kubernetesApiEndpoint: fixture.kubernetes_api_endpoint.value,
      oidcIssuerUrl: fixture.oidc_issuer_url.value,
      database: { host: fixture.database_host.value, port: 5432 },
      databaseReplica: { host: fixture.database_replica_host.value, port: 5432 },
      cache: { host: fixture.cache_host.value, port: 6380 },
    });
  });

  it('records a database replica only where the stack declares one, and never half of it', () => {
    const { database_replica_host: _, database_replica_port: __, ...withoutReplica } = fixture;
    expect(outputsFromTerraform('aks-prod', withoutReplica).databaseReplica).toBeUndefined();
    const { database_replica_port: ___, ...hostOnly } = fixture;
    expect(() => outputsFromTerraform('aks-prod', hostOnly)).toThrow(
      'terraform output -json of stack aks-prod: output "database_replica_port" is missing',
    );
  });

  it('reads every output the stacks declare', () => {
    // Client ids and the database replica exist on Azure only, the VPC id on AWS only, the Redis CA on GCP only.
    const perCloud = {
      cache_ca_certificate: 'gcp',
      workload_identity_client_ids: 'azure',
      database_replica_host: 'azure',
      database_replica_port: 'azure',
      vpc_id: 'aws',
    } as Record<string, string>;
    for (const [file, content] of renderTerraform(fleet)) {
      const cloud = fleet.clusters.find((c) => file === terraformFile(c.name))?.cloud;
      const declared = Object.keys((JSON.parse(content) as { output: object }).output);
      const required = Object.values(STACK_OUTPUTS).filter((name) => (perCloud[name] ?? cloud) === cloud);
      expect(declared).toEqual(expect.arrayContaining(required));
    }
  });

  it('refuses a half-applied stack, naming every missing output', () => {
    const { database_host: _, cache_port: __, ...partial } = fixture;
    expect(() => outputsFromTerraform('aks-prod', partial)).toThrow(
      'terraform output -json of stack aks-prod: output "database_host" is missing; output "cache_port" is missing',
    );
  });

  it('refuses sensitive outputs and malformed client ids', () => {
    const sensitive = { ...fixture, cache_host: { ...fixture.cache_host, sensitive: true } };
    expect(() => outputsFromTerraform('aks-prod', sensitive)).toThrow(
      /output "cache_host" is sensitive and must not be recorded in git/,
    );
    const bad = {
      ...fixture,
      workload_identity_client_ids: { value: { gateway: 'not-a-uuid' } },
    };
    expect(() => outputsFromTerraform('aks-prod', bad)).toThrow(/workloadIdentityClientIds\.gateway/);
  });

  it('records them in clusters/<cluster>.outputs.json through npm run infra:outputs', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mlp-outputs-'));
    const from = join(dir, 'out.json');
    writeFileSync(from, JSON.stringify(fixture));
    const cli = join(__dirname, '..', '..', 'infra', 'outputs-cli.ts');
    const tsx = join(__dirname, '..', '..', 'node_modules', '.bin', 'tsx');
    const stdout = execFileSync(tsx, [cli, '--stack', 'aks-prod', '--from', from, '--dry-run'], {
      encoding: 'utf8',
    });
    expect(JSON.parse(stdout)).toEqual(JSON.parse(JSON.stringify(outputsFromTerraform('aks-prod', fixture))));
  });
});

describe('the committed outputs files', () => {
  it.each(fleet.clusters.map((c) => [c.name, c] as const))(
    '%s: parses, is marked as placeholder, and covers every identity output and replica its stack declares',
    (name, cluster) => {
      const outputs = loadClusterOutputs(cluster);
      expect(outputs.placeholder).toBe(true);
      const stack = JSON.parse(renderTerraform(fleet).get(terraformFile(name)) ?? '{}');
      const expected = placeholderOutputs(name, stack);
      expect(Object.keys(outputs.workloadIdentityClientIds).sort()).toEqual(
        Object.keys(expected.workloadIdentityClientIds).sort(),
      );
      for (const key of ['kubernetesApiEndpoint', 'oidcIssuerUrl', 'database', 'cache'] as const) {
        expect(requireOutput(cluster, outputs, key)).toBeDefined();
      }
      // The placeholder cache listens where the stack's Redis will: clients and network policies use the port.
      expect(outputs.cache).toEqual(expected.cache);
      expect(outputs.cache?.port).toBe({ aws: 6379, gcp: 6378, azure: 10000 }[cluster.cloud]);
      // The replica's endpoint is recorded exactly where the stack keeps one (Azure).
      expect(outputs.databaseReplica).toEqual(expected.databaseReplica);
      expect(outputs.databaseReplica !== undefined).toBe(cluster.cloud === 'azure');
    },
  );

  it('says which file lacks a required output and how to record it', () => {
    expect(() => requireOutput({ name: 'eks-prod' }, { workloadIdentityClientIds: {} }, 'cache')).toThrow(
      'clusters/eks-prod.outputs.json: cache: missing; apply the Terraform stack "eks-prod" and record its ' +
        'outputs with npm run infra:outputs -- --stack eks-prod',
    );
  });

  it('reports a malformed file with its path and the field', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mlp-outputs-'));
    writeFileSync(join(dir, 'x.outputs.json'), JSON.stringify({ workloadIdentityClientIds: { a: 'nope' } }));
    expect(() => loadClusterOutputs({ name: 'x' }, dir)).toThrow(
      /^clusters\/x\.outputs\.json: workloadIdentityClientIds\.a: /,
    );
    expect(outputsFile({ name: 'x' })).toBe('clusters/x.outputs.json');
  });
});
