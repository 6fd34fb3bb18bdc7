/**
 * npm run diff -- --base REF [--format md|text] [--head DIR]
 *
 * The semantic difference between dist/ committed at REF and a fresh render
 * of the working tree (or the tree in DIR). Exit code: 0 nothing changed,
 * 1 something changed, 2 the diff could not be made.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { runCli } from '../run-cli';
import { readTree } from '../tree/files';
import { BaseTreeError, treeAtRef } from '../tree/git';
import { formatDiff, hasChanges, type ReportFormat } from './format';
import { diffTrees } from './semantic';
import { renderWorkingTree } from './trees';

const REPO_DIR = resolve(__dirname, '..', '..');

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      base: { type: 'string', default: 'origin/main' },
      format: { type: 'string', default: 'text' },
      head: { type: 'string' },
    },
    strict: true,
  });
  const format = values.format as ReportFormat;
  if (format !== 'md' && format !== 'text') {
    console.error(`--format must be md or text, got ${values.format}`);
    return 2;
  }
  const started = performance.now();
  try {
    const base = treeAtRef(values.base, REPO_DIR);
    const head = values.head ? readTree(resolve(values.head)) : await renderWorkingTree();
    const diff = diffTrees(base, head);
    process.stdout.write(formatDiff(diff, format, values.base));
    const seconds = ((performance.now() - started) / 1000).toFixed(2);
    console.error(`diff of ${base.size} and ${head.size} files in ${seconds} s`);
    return hasChanges(diff) ? 1 : 0;
  } catch (error) {
    if (error instanceof BaseTreeError) {
      console.error(error.message);
      return 2;
    }
    throw error;
  }
}

runCli(main);
