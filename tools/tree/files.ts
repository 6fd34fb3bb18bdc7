import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { isYamlFile, TERRAFORM_DIR } from './layout';

/** Every file under a folder, as sorted paths relative to it. */
export function listFiles(root: string): string[] {
  if (!existsSync(root)) return [];
  const files: string[] = [];
  const visit = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) visit(path);
      else files.push(relative(root, path));
    }
  };
  visit(root);
  return files.sort();
}

/** Every .yaml/.yml file under the given files and folders, sorted, each once. */
export function collectYamlFiles(paths: readonly string[]): string[] {
  const files = new Set<string>();
  const visit = (path: string): void => {
    if (statSync(path).isDirectory()) {
      for (const entry of readdirSync(path)) visit(join(path, entry));
    } else if (isYamlFile(path)) {
      files.add(path);
    }
  };
  for (const path of paths) visit(path);
  return [...files].sort();
}

/** Every file under `dir` with its text, by path relative to it. */
export function readTree(dir: string): Map<string, string> {
  return new Map(listFiles(dir).map((file) => [file, readFileSync(join(dir, file), 'utf8')]));
}

/** The clusters of a rendered tree: its top-level folders but the Terraform one, sorted. */
export function listClusters(root: string): string[] {
  return readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && entry.name !== TERRAFORM_DIR)
    .map((entry) => entry.name)
    .sort();
}

/** Every folder below `root/under` (the tree as a Git directory generator sees it), relative to `root`. */
export function listFolders(root: string, under: string): string[] {
  const folders: string[] = [];
  const visit = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const path = join(dir, entry.name);
      folders.push(relative(root, path));
      visit(path);
    }
  };
  if (existsSync(join(root, under))) visit(join(root, under));
  return folders;
}

/** A file of a rendered tree and its text, by path relative to the tree's root. */
export interface TreeFile {
  readonly file: string;
  readonly text: string;
}

/** The YAML files of one cluster in a rendered tree on disk (`<root>/<cluster>/**.yaml`), sorted. */
export function readClusterYaml(root: string, cluster: string): TreeFile[] {
  return listFiles(join(root, cluster))
    .filter(isYamlFile)
    .map((file) => ({ file: `${cluster}/${file}`, text: readFileSync(join(root, cluster, file), 'utf8') }));
}

/** How a folder differs from the files that should be in it. */
export interface TreeDiff {
  readonly added: string[];
  readonly removed: string[];
  readonly changed: string[];
}

export function diffTree(files: ReadonlyMap<string, string>, root: string): TreeDiff {
  const existing = new Set(listFiles(root));
  const diff: TreeDiff = { added: [], removed: [], changed: [] };
  for (const [path, content] of files) {
    if (!existing.has(path)) diff.added.push(path);
    else if (readFileSync(join(root, path), 'utf8') !== content) diff.changed.push(path);
  }
  diff.removed.push(...[...existing].filter((path) => !files.has(path)));
  for (const list of Object.values(diff)) list.sort();
  return diff;
}

/**
 * Replaces `outDir` with exactly `files`. Everything is written into a
 * sibling temporary folder first and swapped in with renames, so a failure at
 * any point leaves the previous `outDir` as it was.
 */
export function writeTreeAtomically(files: ReadonlyMap<string, string>, outDir: string): void {
  const parent = dirname(outDir);
  const temporary = join(parent, `.${basename(outDir)}.tmp-${process.pid}`);
  const previous = join(parent, `.${basename(outDir)}.old-${process.pid}`);
  rmSync(temporary, { recursive: true, force: true });
  try {
    for (const [path, content] of files) {
      const target = join(temporary, path);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, content);
    }
  } catch (error) {
    rmSync(temporary, { recursive: true, force: true });
    throw error;
  }
  const hadPrevious = existsSync(outDir);
  if (hadPrevious) renameSync(outDir, previous);
  try {
    renameSync(temporary, outDir);
  } catch (error) {
    if (hadPrevious) renameSync(previous, outDir);
    rmSync(temporary, { recursive: true, force: true });
    throw error;
  }
  if (hadPrevious) rmSync(previous, { recursive: true, force: true });
}
