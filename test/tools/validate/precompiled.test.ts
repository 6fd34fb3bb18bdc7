import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDocuments, type YamlDocument } from '../../../tools/tree/documents';
import { collectYamlFiles } from '../../../tools/tree/files';
import { documentIssues, formatIssue } from '../../../tools/validate/documents';
import { SchemaValidator } from '../../../tools/validate/validator';

/**
 * The compiled modules beside the bundles (npm run schemas) replace compiling
 * the schemas on every run; they must give exactly the issues compiling gives.
 */
const REPO = join(__dirname, '..', '..', '..');
const FIXTURE = join(REPO, 'test', 'fixtures', 'manifests', 'valid.yaml');

type Json = Record<string, any>;

/** Every path to a scalar in a value, depth first. */
function leaves(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== 'object') return [path];
  return Object.entries(value).flatMap(([key, child]) =>
    leaves(child, [...path, Array.isArray(value) ? Number(key) : key]),
  );
}

function setAt(doc: Json, path: (string | number)[], value: unknown): Json {
  const copy = structuredClone(doc);
  let at: Json = copy;
  for (const key of path.slice(0, -1)) at = at[key];
  at[path[path.length - 1]] = value;
  return copy;
}

/**
 * Documents with known errors of each class, made from valid ones: an unknown
 * field beside every scalar, every scalar given the wrong type, and the
 * object without its spec.
 */
function brokenVariants(doc: Json): Json[] {
  const paths = leaves(doc).filter((p) => p.length > 1 && p[0] !== 'apiVersion' && p[0] !== 'kind');
  return [
    ...paths.map((p) => setAt(doc, [...p.slice(0, -1), 'notAField'], true)),
    ...paths.map((p) => {
      const current = p.reduce<any>((v, k) => v[k], doc);
      return setAt(doc, p, typeof current === 'string' ? 7 : 'seven');
    }),
    setAt(doc, ['spec'], { notAField: {} }),
  ];
}

function issueLines(validator: SchemaValidator, docs: readonly YamlDocument[]): string[] {
  return docs.flatMap((doc) => documentIssues(validator, doc)).map(formatIssue);
}

describe('precompiled validators', () => {
  const fixture = parseDocuments('valid.yaml', readFileSync(FIXTURE, 'utf8'));
  const dist = collectYamlFiles([join(REPO, 'dist')]).flatMap((file) =>
    parseDocuments(file.slice(REPO.length + 1), readFileSync(file, 'utf8')),
  );
  const sources = [...fixture, ...dist].filter((d) => d.parseError === undefined);
  // One document per kind is enough to reach every compiled module the tree uses.
  const perKind = new Map<string, YamlDocument>();
  for (const doc of sources) {
    const { apiVersion, kind } = doc.value as Json;
    if (!perKind.has(`${apiVersion}/${kind}`)) perKind.set(`${apiVersion}/${kind}`, doc);
  }
  const broken: YamlDocument[] = [...perKind.values()].flatMap((doc) =>
    brokenVariants(doc.value as Json).map((value, i) => ({ file: doc.file, index: i + 1, value })),
  );

  it('give the same issues as compiling the schemas, on a tree full of known errors', () => {
    const fast = issueLines(new SchemaValidator(), broken);
    const slow = issueLines(new SchemaValidator({ precompiled: false }), broken);
    expect(perKind.size).toBeGreaterThan(30);
    // Some variants are still valid (a field in a free-form map, a string that may be anything).
    expect(fast.length).toBeGreaterThan(broken.length / 2);
    expect(fast).toContainEqual(expect.stringContaining(': unknown field'));
    expect(fast).toContainEqual(expect.stringContaining(': expected integer'));
    expect(fast).toEqual(slow);
  });

  it('give the same verdicts on the rendered tree and the fixture', () => {
    const fast = issueLines(new SchemaValidator(), sources);
    expect(fast).toEqual(issueLines(new SchemaValidator({ precompiled: false }), sources));
  });

  it('give the same issues through the code cache, when writing it and when reading it', () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'validate-code-cache-'));
    try {
      const documents = [...sources, ...broken];
      const expected = issueLines(new SchemaValidator(), documents);
      const writing = new SchemaValidator({ codeCacheDir: cacheDir });
      expect(issueLines(writing, documents)).toEqual(expected);
      expect(writing.cachedModules).toBe(0);
      writing.saveCodeCache();
      const reading = new SchemaValidator({ codeCacheDir: cacheDir });
      expect(issueLines(reading, documents)).toEqual(expected);
      expect(reading.cachedModules).toBeGreaterThan(10);
    } finally {
      rmSync(cacheDir, { recursive: true, force: true });
    }
  });
});
