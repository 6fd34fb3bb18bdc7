import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadClusterOutputs, outputsFile, requireOutput } from '../../clusters/outputs';
import type { ClusterSpec } from '../../clusters/types';
import { outputsFromTerraform, placeholderOutputs, STACK_OUTPUTS } from '../../infra/outputs';
import { keepsDatabaseReplica } from '../../infra/plan';
import { renderTerraform } from '../../infra/render';
import { terraformFile } from '../../tools/tree/layout';
import { databaseFleet, fleet } from './helpers';

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

  it('records no database for a stack that declares none', () => {
    const {
      database_host: _,
      database_port: __,
      database_replica_host: ___,
      database_replica_port: ____,
      ...none
    } = fixture;
    const outputs = outputsFromTerraform('aks-prod', none);
    expect(outputs.database).toBeUndefined();
    expect(outputs.databaseReplica).toBeUndefined();
    expect(outputs.cache).toEqual({ host: fixture.cache_host.value, port: 6380 });
  });

  it('reads every output the stacks declare, the database ones where the cluster declares a database', () => {
    // Client ids and the database replica exist on Azure only, the VPC id on AWS only, the Redis CA on GCP only;
    // the database outputs only where the cluster file declares a database.
    const declaredWhen: Record<string, (cluster: ClusterSpec) => boolean> = {
      cache_ca_certificate: (c) => c.cloud === 'gcp',
      workload_identity_client_ids: (c) => c.cloud === 'azure',
      database_host: (c) => c.database !== undefined,
      database_port: (c) => c.database !== undefined,
      database_replica_host: (c) => keepsDatabaseReplica(c),
      database_replica_port: (c) => keepsDatabaseReplica(c),
      vpc_id: (c) => c.cloud === 'aws',
    };
    for (const rendered of [fleet, databaseFleet]) {
      for (const [file, content] of renderTerraform(rendered)) {
        const cluster = rendered.clusters.find((c) => file === terraformFile(c.name));
        if (!cluster) continue;
        const declared = Object.keys((JSON.parse(content) as { output: object }).output).sort();
        const expected = Object.values(STACK_OUTPUTS)
          .filter((name) => declaredWhen[name]?.(cluster) ?? true)
          .sort();
        expect([cluster.name, declared]).toEqual([cluster.name, expected]);
      }
    }
    expect(databaseFleet.clusters.every((c) => c.database !== undefined)).toBe(true);
  });

  it('refuses a half-applied stack, naming every missing output', () => {
    const { database_port: _, cache_port: __, ...partial } = fixture;
    expect(() => outputsFromTerraform('aks-prod', partial)).toThrow(
      'terraform output -json of stack aks-prod: output "database_port" is missing; output "cache_port" is missing',
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
      for (const key of ['kubernetesApiEndpoint', 'oidcIssuerUrl', 'cache'] as const) {
        expect(requireOutput(cluster, outputs, key)).toBeDefined();
      }
      // The sample declares no database: its outputs record none, as its stack declares none.
      expect(cluster.database).toBeUndefined();
      expect(outputs.database).toEqual(expected.database);
      expect(outputs.database).toBeUndefined();
      // The placeholder cache listens where the stack's Redis will: clients and network policies use the port.
      expect(outputs.cache).toEqual(expected.cache);
      expect(outputs.cache?.port).toBe({ aws: 6379, gcp: 6378, azure: 10000 }[cluster.cloud]);
      expect(outputs.databaseReplica).toEqual(expected.databaseReplica);
      expect(outputs.databaseReplica).toBeUndefined();
    },
  );

  it('makes up a database endpoint exactly where a stack declares one, and the replica where it keeps one (Azure)', () => {
    const rendered = renderTerraform(databaseFleet);
    for (const cluster of databaseFleet.clusters) {
      const outputs = placeholderOutputs(
        cluster.name,
        JSON.parse(rendered.get(terraformFile(cluster.name)) ?? '{}'),
      );
      expect(outputs.database).toEqual({ host: `database.${cluster.name}.placeholder.invalid`, port: 5432 });
      expect(outputs.databaseReplica !== undefined).toBe(cluster.cloud === 'azure');
    }
  });

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
