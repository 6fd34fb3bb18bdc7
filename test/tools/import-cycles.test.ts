import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { preProcessFile } from 'typescript';

/**
 * No import circle in the repository's own code: the kernel every component builds on imports no
 * component, and a tool that reads dist/ never drags in what renders it. Type-only imports count
 * too, as they do for a reader following the code.
 */
const REPO = join(__dirname, '..', '..');
const ROOTS = [
  'apps',
  'argocd',
  'bench',
  'clusters',
  'gateway/src',
  'gateway/dev',
  'infra',
  'platform',
  'tools',
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return entry === 'node_modules' ? [] : sourceFiles(path);
    return path.endsWith('.ts') && !path.endsWith('.d.ts') ? [path] : [];
  });
}

/** The repository files a module imports (relative specifiers only: packages cannot close a circle here). */
function localImports(file: string): string[] {
  const { importedFiles } = preProcessFile(readFileSync(file, 'utf8'), true, true);
  return importedFiles
    .map((imported) => imported.fileName)
    .filter((specifier) => specifier.startsWith('.'))
    .map((specifier) => resolve(dirname(file), specifier))
    .map((base) => [`${base}.ts`, join(base, 'index.ts')].find((candidate) => existsSync(candidate)))
    .filter((path): path is string => path !== undefined);
}

/** Every circle, as the list of files from its first module back to it (depth-first, each reported once). */
function importCycles(files: readonly string[], importsOf: (file: string) => string[]): string[][] {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const visit = (file: string): void => {
    state.set(file, 'open');
    stack.push(file);
    for (const next of importsOf(file)) {
      if (state.get(next) === 'open') cycles.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of files) if (!state.has(file)) visit(file);
  return cycles;
}

describe('imports', () => {
  it('finds a circle where there is one', () => {
    const graph: Record<string, string[]> = { a: ['b'], b: ['c'], c: ['a'], d: ['a'] };
    expect(importCycles(Object.keys(graph), (file) => graph[file])).toEqual([['a', 'b', 'c', 'a']]);
  });

  it('form no circle in the repository', () => {
    const files = ROOTS.flatMap((root) => sourceFiles(join(REPO, root)));
    expect(files.length).toBeGreaterThan(200);
    const cycles = importCycles(files, localImports).map((cycle) =>
      cycle.map((file) => relative(REPO, file)).join(' > '),
    );
    expect(cycles).toEqual([]);
  });

  /** The files under `roots` that import a file under one of `forbidden`, as "importer > imported". */
  function importsInto(roots: readonly string[], forbidden: readonly string[]): string[] {
    const inside = (file: string, folders: readonly string[]) =>
      folders.some(
        (folder) => relative(REPO, file) === folder || relative(REPO, file).startsWith(`${folder}/`),
      );
    return roots
      .flatMap((root) => sourceFiles(join(REPO, root)))
      .flatMap((file) =>
        localImports(file)
          .filter((imported) => inside(imported, forbidden))
          .map((imported) => `${relative(REPO, file)} > ${relative(REPO, imported)}`),
      );
  }

  it('keep components apart from the tools that render and read them', () => {
    // tools/tree and tools/table are libraries (the one reader and writer of dist/, the one table
    // writer); every other folder under tools/ is a command that no component may depend on.
    const commands = readdirSync(join(REPO, 'tools'))
      .filter((entry) => statSync(join(REPO, 'tools', entry)).isDirectory())
      .filter((entry) => entry !== 'tree' && entry !== 'table')
      .map((entry) => `tools/${entry}`);
    expect(commands).toEqual(expect.arrayContaining(['tools/synth', 'tools/validate', 'tools/policy']));
    expect(importsInto(['apps', 'argocd', 'clusters', 'platform'], commands)).toEqual([]);
  });

  it('keep the kernel free of components', () => {
    const components = [
      'apps',
      'argocd',
      ...readdirSync(join(REPO, 'platform'))
        .filter((entry) => entry !== 'kernel' && entry !== 'clouds')
        .map((entry) => `platform/${entry}`),
    ];
    expect(importsInto(['platform/kernel'], components)).toEqual([]);
  });
});
