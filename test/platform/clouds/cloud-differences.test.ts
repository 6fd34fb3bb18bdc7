import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * Per-cloud differences live in the cloud profiles (platform/clouds/) and in infra/<cloud>/: a
 * component or a generic infrastructure module asks its profile and never tests the cloud, and no
 * component builds a profile or reads an outputs file: it uses the `profile`, `outputs` and
 * `profileOf` of its props, which only the synthesis builds (tools/synth/render.ts).
 */
const REPO = join(__dirname, '..', '..', '..');

/** What tests the cloud, or builds what the synthesis hands a component. */
const RULES: readonly { readonly pattern: RegExp; readonly why: string }[] = [
  {
    pattern:
      /\bcloud\s*[!=]==?\s*['"`](aws|gcp|azure)['"`]|['"`](aws|gcp|azure)['"`]\s*[!=]==?\s*[\w.?]*\bcloud\b/,
    why: 'compares the cloud with a literal',
  },
  { pattern: /\bcase\s+['"`](aws|gcp|azure)['"`]\s*:/, why: 'switches on a cloud' },
  { pattern: /\bswitch\s*\([^)]*\bcloud\s*\)/, why: 'switches on the cloud' },
  { pattern: /\[\s*[\w.?]*\.cloud\s*\]/, why: 'looks a value up by cloud' },
  {
    pattern: /\bRecord<\s*Cloud\b|\bin\s+Cloud\s*\]|Set<\s*(Cloud|ClusterSpec\[['"]cloud['"]\])\s*>/,
    why: 'declares a table of clouds',
  },
  {
    pattern: /\b(profileFor|loadClusterOutputs)\s*\(/,
    why: 'builds a profile or reads outputs itself instead of taking them from its props',
  },
];

/** Where a cloud may be looked up: the one table of each side, each keyed by cloud and exhaustive. */
const DISPATCH: Readonly<Record<string, string>> = {
  // Which CDKTF stack builds a cluster's plan.
  'infra/render.ts': 'looks a value up by cloud|declares a table of clouds',
  // What differs between the clouds' infrastructure (infra/<cloud>/profile.ts).
  'infra/profiles.ts': 'looks a value up by cloud|declares a table of clouds',
  // `npm run infra:outputs`, a command: it records the outputs file, and keeps what another
  // command recorded there (the ingress address).
  'infra/outputs-cli.ts': 'builds a profile or reads outputs itself instead of taking them from its props',
};

/** Every problem of one source file, as `<file>:<line>: <why>: <code>`. */
function cloudTests(file: string, source: string): string[] {
  const allowed = new Set((DISPATCH[file] ?? '').split('|'));
  return source.split('\n').flatMap((line, index) => {
    const code = line.replace(/\/\/.*$/, '').trim();
    if (code.startsWith('*') || code.startsWith('/*')) return [];
    return RULES.filter((rule) => rule.pattern.test(code) && !allowed.has(rule.why)).map(
      (rule) => `${file}:${index + 1}: ${rule.why}: ${code}`,
    );
  });
}

function sourceFiles(dir: string, recursive = true): string[] {
  return readdirSync(join(REPO, dir)).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(join(REPO, path)).isDirectory()) return recursive ? sourceFiles(path) : [];
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** The components and the generic infrastructure code: everything but the profiles and infra/<cloud>/. */
function genericSources(): string[] {
  return [
    ...sourceFiles('platform').filter((file) => !file.startsWith(join('platform', 'clouds'))),
    ...sourceFiles('apps'),
    ...sourceFiles('argocd'),
    ...sourceFiles('infra', false),
  ].map((file) => relative(REPO, join(REPO, file)));
}

describe('cloud differences', () => {
  it('are found wherever code tests the cloud or builds its own profile', () => {
    const component = [
      "if (cluster.cloud === 'gcp') return gkeIssuer(cluster);",
      "const internal = 'azure' !== props.cluster.cloud ? a : b;",
      'switch (cluster.cloud) {',
      "  case 'aws':",
      'const order = SIDE[peer.cloud].order;',
      "const BASTION: ReadonlySet<Cloud> = new Set(['aws']);",
      'const source = profileFor(fleet.clusters[0]);',
      '  outputs: ClusterOutputs = loadClusterOutputs(cluster),',
      "// a comment may say cloud === 'aws'",
      'const sameCloud = others.find((peer) => peer.cloud === cluster.cloud);',
    ].join('\n');
    expect(cloudTests('platform/example/index.ts', component).map((p) => p.split(': ')[1])).toEqual([
      'compares the cloud with a literal',
      'compares the cloud with a literal',
      'switches on the cloud',
      'switches on a cloud',
      'looks a value up by cloud',
      'declares a table of clouds',
      'builds a profile or reads outputs itself instead of taking them from its props',
      'builds a profile or reads outputs itself instead of taking them from its props',
    ]);
    // The dispatch tables may look up by cloud, and nothing else.
    expect(cloudTests('infra/profiles.ts', 'const profile = PROFILES[cluster.cloud];')).toEqual([]);
    expect(cloudTests('infra/profiles.ts', "if (cluster.cloud === 'aws') {}")).toHaveLength(1);
  });

  it('live only in the cloud profiles and infra/<cloud>/', () => {
    const files = genericSources();
    expect(files).toEqual(
      expect.arrayContaining(['platform/base/index.ts', 'infra/plan.ts', 'apps/data-sync/index.ts']),
    );
    expect(
      files.filter((file) => file.startsWith('platform/clouds/') || file.startsWith('infra/aws/')),
    ).toEqual([]);
    expect(files.flatMap((file) => cloudTests(file, readFileSync(join(REPO, file), 'utf8')))).toEqual([]);
  });
});
