/**
 * npm run synth                 render the fleet into dist/ (atomically)
 * npm run synth -- --check      render and compare with dist/; exit 1 listing every difference
 * npm run synth -- --out DIR    render into DIR instead of dist/
 */
// First: turns source maps off before the other modules load (see the module).
import '../source-maps-off';
import { relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { FleetValidationError } from '../../clusters/validate';
import { DIST_DIR } from '../tree/layout';
import { CODE_CACHE_DIR } from '../validate/validator';
import { SynthesisError } from './render';
import { RenderedTreeInvalid, summaryTable, synthesize } from './synthesize';

const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

function main(): number {
  const { values } = parseArgs({
    options: { check: { type: 'boolean', default: false }, out: { type: 'string' } },
    strict: true,
  });
  const outDir = values.out ? resolve(values.out) : DIST_DIR;
  const shownDir = relative(process.cwd(), outDir) || '.';
  const started = performance.now();
  try {
    const result = synthesize({ outDir, check: values.check, codeCacheDir: CODE_CACHE_DIR });
    const clusters = new Set(result.resources.map((r) => r.cluster)).size;
    const components = new Set(result.resources.map((r) => r.component)).size;
    const seconds = ((performance.now() - started) / 1000).toFixed(2);
    console.log(summaryTable(result.resources));
    console.log(
      `${plural(clusters, 'cluster')} × ${plural(components, 'component')}: ` +
        `${plural(result.resources.length, 'resource')}, ${plural(result.files, 'file')} in ${seconds} s`,
    );
    if (!result.diff) {
      console.log(`wrote ${shownDir}/`);
      return 0;
    }
    const { added, removed, changed } = result.diff;
    if (added.length + removed.length + changed.length === 0) {
      console.log(`${shownDir}/ is up to date`);
      return 0;
    }
    for (const [label, files] of [
      ['added', added],
      ['removed', removed],
      ['changed', changed],
    ] as const) {
      for (const file of files) console.error(`${label}: ${file}`);
    }
    console.error(
      `${shownDir}/ is not the output of the current code (${added.length} added, ${removed.length} removed, ` +
        `${changed.length} changed); run npm run synth and commit the result`,
    );
    return 1;
  } catch (error) {
    if (
      error instanceof FleetValidationError ||
      error instanceof SynthesisError ||
      error instanceof RenderedTreeInvalid
    ) {
      console.error(error.message);
      console.error('Nothing was written.');
      return 1;
    }
    throw error;
  }
}

process.exitCode = main();
