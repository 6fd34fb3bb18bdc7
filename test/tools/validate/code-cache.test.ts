import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CodeCache, codeFlags } from '../../../tools/validate/schemas/code-cache';

/**
 * V8's code cache for the compiled validator modules: what a module exports
 * is what its source says, whether its code came from the cache or not.
 *
 * V8 also keeps the scripts a process compiled, by text and file name, and
 * then does not look at the cache given; so each load here is of a file of
 * the same name in a folder of its own, as a new process would load it.
 */
describe('CodeCache', () => {
  let dir: string;
  let cacheDir: string;
  let loads = 0;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'code-cache-'));
    cacheDir = join(dir, 'cache');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** Writes the module's text to a new folder and loads it from there. */
  const loadAnswer = (cache: CodeCache, source: string) => {
    const folder = join(dir, `load-${++loads}`);
    mkdirSync(folder);
    const module = join(folder, 'kinds.validate.js');
    writeFileSync(module, source);
    return (cache.load(module) as { answer: () => string }).answer();
  };
  const FIRST = 'exports.answer = () => "first";\n';

  it('writes the cache after a run and reads it in the next', () => {
    const writing = new CodeCache(cacheDir);
    expect(loadAnswer(writing, FIRST)).toBe('first');
    expect(writing.cachedLoads).toBe(0);
    writing.save();
    expect(readdirSync(cacheDir)).toHaveLength(1);

    const reading = new CodeCache(cacheDir);
    expect(loadAnswer(reading, FIRST)).toBe('first');
    expect(reading.cachedLoads).toBe(1);
  });

  it('keeps the three most recent caches of a module, and those of other modules', () => {
    const other = join(dir, 'other');
    mkdirSync(other);
    writeFileSync(join(other, 'apps_v1.validate.js'), FIRST);
    const first = new CodeCache(cacheDir);
    first.load(join(other, 'apps_v1.validate.js'));
    first.save();
    for (let version = 1; version <= 5; version++) {
      const cache = new CodeCache(cacheDir);
      expect(loadAnswer(cache, `exports.answer = () => "v${version}";\n`)).toBe(`v${version}`);
      cache.save();
    }
    const files = readdirSync(cacheDir);
    expect(files.filter((f) => f.startsWith('kinds.validate.js.'))).toHaveLength(3);
    expect(files.filter((f) => f.startsWith('apps_v1.validate.js.'))).toHaveLength(1);
    // The newest is among those kept: the last version loads from the cache.
    const reading = new CodeCache(cacheDir);
    expect(loadAnswer(reading, 'exports.answer = () => "v5";\n')).toBe('v5');
    expect(reading.cachedLoads).toBe(1);
  });

  it('never runs the cached code of another text of the module, even of the same length', () => {
    // V8 checks a cache against the length of the source only.
    const writing = new CodeCache(cacheDir);
    loadAnswer(writing, FIRST);
    writing.save();

    const reading = new CodeCache(cacheDir);
    expect(loadAnswer(reading, 'exports.answer = () => "other";\n')).toBe('other');
    expect(reading.cachedLoads).toBe(0);
  });

  it('compiles the module when its cache file is damaged, and writes a good one', () => {
    const writing = new CodeCache(cacheDir);
    loadAnswer(writing, FIRST);
    writing.save();
    const [cacheFile] = readdirSync(cacheDir);
    writeFileSync(join(cacheDir, cacheFile), 'not a code cache');

    const damaged = new CodeCache(cacheDir);
    expect(loadAnswer(damaged, FIRST)).toBe('first');
    expect(damaged.cachedLoads).toBe(0);
    damaged.save();
    const repaired = new CodeCache(cacheDir);
    expect(loadAnswer(repaired, FIRST)).toBe('first');
    expect(repaired.cachedLoads).toBe(1);
  });

  it('gives the module its own require, relative to its folder', () => {
    writeFileSync(join(dir, 'helper.js'), 'exports.word = "beside";\n');
    expect(loadAnswer(new CodeCache(cacheDir), 'exports.answer = () => require("../helper").word;\n')).toBe(
      'beside',
    );
  });

  it('loads without writing anything when the cache folder cannot be created', () => {
    const blocked = join(dir, 'a-file');
    writeFileSync(blocked, '');
    const cache = new CodeCache(join(blocked, 'cache'));
    expect(loadAnswer(cache, FIRST)).toBe('first');
    expect(() => cache.save()).not.toThrow();
  });
});

describe('codeFlags', () => {
  it('leaves out where a startup snapshot came from, which a worker of its run inherits, and keeps the rest', () => {
    expect(codeFlags(['--snapshot-blob', '/cache/v.blob'])).toEqual([]);
    expect(codeFlags(['--snapshot-blob=/cache/v.blob', '--max-old-space-size=512'])).toEqual([
      '--max-old-space-size=512',
    ]);
    expect(codeFlags(['--enable-source-maps', '--snapshot-blob', '/b', '--no-opt'])).toEqual([
      '--enable-source-maps',
      '--no-opt',
    ]);
  });
});
