import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The dependencies as CI installs them: the gateway and batch predictor
 * images install their own package.json, so a version there that differs from the root's would ship
 * code the tests never ran; and a root dependency nothing uses is install
 * time, audit noise and supply-chain surface for nothing.
 */
const ROOT = join(__dirname, '..', '..');

interface PackageJson {
  readonly dependencies?: Record<string, string>;
  readonly devDependencies?: Record<string, string>;
  readonly peerDependencies?: Record<string, string>;
  readonly peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  readonly scripts?: Record<string, string>;
  readonly bin?: string | Record<string, string>;
  readonly name?: string;
}
const readJson = <T>(path: string): T => JSON.parse(readFileSync(join(ROOT, path), 'utf8')) as T;

const root = readJson<PackageJson>('package.json');
/** The folders of the images built from this repository, each with its own package.json and lockfile. */
const IMAGE_PACKAGES = ['gateway', 'apps/batch-predictor'] as const;
const rootPins: Record<string, string> = { ...root.dependencies, ...root.devDependencies };

/** Versions in an image's package that differ from `root`, and packages it has that `root` has not. */
function pinMismatches(
  rootDeps: Record<string, string>,
  imageDeps: Record<string, string>,
  image = 'gateway',
): string[] {
  return Object.entries(imageDeps).flatMap(([name, version]) => {
    if (!(name in rootDeps)) return [`${name}: in ${image}/package.json only`];
    if (rootDeps[name] !== version) return [`${name}: ${image} ${version}, root ${rootDeps[name]}`];
    return [];
  });
}

/** Files the repository tracks, without the rendered tree and the lockfiles. */
const trackedFiles = execFileSync('git', ['ls-files'], { cwd: ROOT, encoding: 'utf8' })
  .split('\n')
  .filter((file) => file !== '' && !file.startsWith('dist/') && !file.endsWith('package-lock.json'));
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');
const code = trackedFiles.filter((file) => /\.(ts|js|mjs|cjs)$/.test(file)).map(read);
/** YAML configuration: workflows and cdk8s.yaml, where commands are written as `npx <bin>`. */
const yamlConfig = trackedFiles.filter((file) => /\.ya?ml$/.test(file)).map(read);

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** `import ... from 'name'`, `import 'name/sub'`, `import('name')`, `require('name')` in a source text. */
function imports(source: string, name: string): boolean {
  const specifier = `['"]${escapeRegExp(name)}(/[^'"]*)?['"]`;
  return new RegExp(`(\\bfrom\\s+|\\bimport\\s*\\(?\\s*|\\brequire\\s*\\(\\s*)${specifier}`).test(source);
}

/** The package named as a whole string in code: a jest transform, a secretlint rule, a path to its bin. */
const namedInCode = (name: string) => code.some((source) => source.includes(`'${name}'`));

/** The commands a package installs into node_modules/.bin. */
function binNames(name: string): string[] {
  if (!existsSync(join(ROOT, 'node_modules', name, 'package.json'))) return [];
  const manifest = readJson<PackageJson>(join('node_modules', name, 'package.json'));
  if (typeof manifest.bin === 'string') return [(manifest.name ?? name).replace(/^@[^/]+\//, '')];
  return Object.keys(manifest.bin ?? {});
}

/** A command run by a package.json script (first word, after `&&`, `||`, `;`, `|`, or `--import`) or `npx`. */
function runsCommand(bin: string): boolean {
  const word = escapeRegExp(bin);
  const inScript = new RegExp(`(^|&&|\\|\\||;|\\||--import)\\s*${word}(\\s|$)`);
  const npx = new RegExp(`\\bnpx\\s+${word}(\\s|$)`);
  return (
    Object.values(root.scripts ?? {}).some((script) => inScript.test(script)) ||
    [...code, ...yamlConfig].some((text) => npx.test(text))
  );
}

/** `@types/x` is used when the compiler is told to load it (tsconfig `types`) or `x` is imported. */
function typesUsed(name: string): boolean {
  const target = name.slice('@types/'.length);
  const tsconfig = readJson<{ compilerOptions: { types?: string[] } }>('tsconfig.json');
  return (
    (tsconfig.compilerOptions.types ?? []).includes(target) || code.some((source) => imports(source, target))
  );
}

/** How the repository uses a root dependency, or undefined when nothing does. */
function directUse(name: string): string | undefined {
  if (name.startsWith('@types/')) return typesUsed(name) ? 'types' : undefined;
  if (code.some((source) => imports(source, name))) return 'import';
  if (binNames(name).some(runsCommand)) return 'command';
  if (namedInCode(name)) return 'named';
  return undefined;
}

describe('dependencies', () => {
  it.each(IMAGE_PACKAGES)(
    '%s/package.json pins exactly the versions the root pins, and nothing the root lacks',
    (image) => {
      const manifest = readJson<PackageJson>(`${image}/package.json`);
      const lock = readJson<{ packages: Record<string, PackageJson> }>(`${image}/package-lock.json`);
      expect(Object.keys(manifest.dependencies ?? {}).length).toBeGreaterThan(0);
      expect(pinMismatches(rootPins, manifest.dependencies ?? {}, image)).toEqual([]);
      // The image installs from its own lockfile: it must agree with its package.json.
      expect(lock.packages[''].dependencies).toEqual(manifest.dependencies);
    },
  );

  it('a differing version or a gateway-only package is reported', () => {
    expect(pinMismatches({ a: '1.0.0', b: '2.0.0' }, { a: '1.0.1', b: '2.0.0', c: '3.0.0' })).toEqual([
      'a: gateway 1.0.1, root 1.0.0',
      'c: in gateway/package.json only',
    ]);
  });

  it('every root dependency is imported, run as a command, or named in configuration', () => {
    const direct = new Map(Object.keys(rootPins).map((name) => [name, directUse(name)]));
    // A required peer of a used package (@swc/core for @swc/jest) is installed for that package.
    const peerOfUsed = (name: string) =>
      [...direct].some(([user, use]) => {
        if (use === undefined) return false;
        const manifest = readJson<PackageJson>(join('node_modules', user, 'package.json'));
        return name in (manifest.peerDependencies ?? {}) && !manifest.peerDependenciesMeta?.[name]?.optional;
      });
    const unused = [...direct]
      .filter(([name, use]) => use === undefined && !peerOfUsed(name))
      .map(([n]) => n);
    expect(unused).toEqual([]);
  });

  it('finds imports in every form and ignores mere mentions', () => {
    expect(imports("import { x } from 'yaml';", 'yaml')).toBe(true);
    expect(imports("import type { D } from '@grafana/sdk/dashboard';", '@grafana/sdk')).toBe(true);
    expect(imports("const a = require('autocannon');", 'autocannon')).toBe(true);
    expect(imports("await import('undici')", 'undici')).toBe(true);
    expect(imports("import 'tsx';", 'tsx')).toBe(true);
    expect(imports("// Why not cockatiel's CircuitBreakerPolicy", 'cockatiel')).toBe(false);
    expect(imports("import { x } from 'yaml-lint';", 'yaml')).toBe(false);
    expect(imports("import { x } from 'pino-pretty';", 'pino')).toBe(false);
  });
});
