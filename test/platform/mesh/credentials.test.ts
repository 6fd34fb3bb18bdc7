import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { loadDeclaredFleet } from '../../../clusters';
import { scanCredentials } from '../../../tools/policy/credentials';
import { renderFleet } from '../../../tools/synth/render';

type Json = Record<string, any>;
const OWN = new Set(['mesh', 'monitoring', 'logging', 'tracing']);
const fleet = loadDeclaredFleet();
const tree = renderFleet(fleet);

/** The rendered files of the mesh and observability components, and the Argo CD Applications of their charts. */
const own = tree.resources.filter(
  (r) =>
    OWN.has(r.component) ||
    (r.kind === 'Application' && JSON.stringify((r.object as Json).spec?.source ?? {}).includes('"chart"')),
);

describe('credentials in the rendered mesh and observability files', () => {
  it('are never rendered as Secrets: every secret value comes through an ExternalSecret', () => {
    // The one rendered Secret holds no credential: the Azure snapshot client's storage account
    // name, which Elasticsearch takes from its keystore only (platform/logging/index.ts).
    const secrets = own.filter((r) => r.kind === 'Secret');
    expect(secrets.map((r) => r.file)).toEqual([
      'aks-prod/logging/Secret.logging.elasticsearch-snapshot-client.yaml',
    ]);
    for (const secret of secrets) {
      expect(Object.keys((secret.object as Json).stringData ?? {})).toEqual(['azure.client.default.account']);
      expect((secret.object as Json).data).toBeUndefined();
    }
    expect(own.filter((r) => r.kind === 'ExternalSecret').length).toBeGreaterThan(10);
  });

  it('do not appear in any file, Helm values included (secretlint)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rendered-'));
    const files = own.map((r) => {
      const path = join(dir, r.file);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, tree.files.get(r.file) as string);
      return path;
    });
    expect(files.length).toBeGreaterThan(50);
    expect(scanCredentials(files)).toEqual([]);
  });

  it('the scan finds a credential when there is one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'planted-'));
    const file = join(dir, 'values.yaml');
    writeFileSync(
      file,
      'slack:\n  apiURL: https://hooks.slack.com/services/T0A1B2C3D/B0A1B2C3D/abcdefghijklmnopqrstuvwx\n',
    );
    expect(scanCredentials([file]).length).toBeGreaterThan(0);
  });
});
