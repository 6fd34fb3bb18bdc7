import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readTree } from '../tree/files';
import { DIST_FOLDER } from '../tree/layout';

/**
 * The working tree's fresh render: the synthesis of the current code into a
 * temporary folder (never dist/, which may be stale or mid-edit).
 */
export async function renderWorkingTree(): Promise<Map<string, string>> {
  // Loaded lazily: the synthesis pulls in every chart, which a `--head DIR` run does not need.
  const { synthesize } = await import('../synth/synthesize');
  const outDir = mkdtempSync(join(tmpdir(), 'ml-platform-diff-'));
  try {
    const target = join(outDir, DIST_FOLDER);
    synthesize({ outDir: target });
    return readTree(target);
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}
