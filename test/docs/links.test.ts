import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';

/**
 * Every relative link of the README and the docs/ pages must lead somewhere: the file exists and,
 * when the link names an anchor, the target page has a heading with that anchor as GitHub computes
 * it. Moving a section to another page without fixing its links fails here, not on GitHub.
 */
const ROOT = join(__dirname, '..', '..');

/** Lines outside fenced code blocks: links and headings inside code are text, not markup. */
function proseLines(markdown: string): string[] {
  const lines: string[] = [];
  let fence: string | undefined;
  for (const line of markdown.split('\n')) {
    const marker = line.match(/^\s*(```|~~~)/)?.[1];
    if (marker && (fence === undefined || fence === marker)) {
      fence = fence === undefined ? marker : undefined;
      continue;
    }
    if (fence === undefined) lines.push(line);
  }
  return lines;
}

/**
 * A heading's anchor as GitHub computes it: the rendered text (inline code and emphasis markers
 * gone) lowercased, every character but letters, digits, spaces, `-` and `_` removed, spaces turned
 * into `-`; a repeated anchor gets `-1`, `-2`, ... in order.
 */
function anchorsOf(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  for (const line of proseLines(markdown)) {
    const heading = line.match(/^#{1,6}\s+(.*?)\s*#*\s*$/)?.[1];
    if (heading === undefined) continue;
    const text = heading
      .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
      .replace(/(^|\W)[*_]+|[*_]+(\W|$)/g, '$1$2')
      .toLowerCase();
    const base = text.replace(/[^\p{L}\p{N}\p{M} _-]/gu, '').replace(/ /g, '-');
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  }
  return anchors;
}

/** Every relative link target of a Markdown text (inline code spans and code blocks skipped). */
function relativeLinks(markdown: string): string[] {
  const links: string[] = [];
  for (const line of proseLines(markdown)) {
    const prose = line.replace(/`[^`]*`/g, '');
    for (const match of prose.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
      const target = match[1];
      if (!/^[a-z][a-z0-9+.-]*:/i.test(target)) links.push(target);
    }
  }
  return links;
}

/** The broken links of one Markdown file, each naming the file, the link and what is wrong. */
function brokenLinks(file: string): string[] {
  const problems: string[] = [];
  const here = relative(ROOT, file);
  for (const link of relativeLinks(readFileSync(file, 'utf8'))) {
    const [path, anchor] = link.split('#', 2) as [string, string | undefined];
    const target = path === '' ? file : resolve(dirname(file), decodeURIComponent(path));
    if (!existsSync(target)) {
      problems.push(`${here}: link ${link}: no file ${relative(ROOT, target)}`);
      continue;
    }
    if (anchor !== undefined && !anchorsOf(readFileSync(target, 'utf8')).has(anchor)) {
      problems.push(`${here}: link ${link}: no heading with anchor #${anchor} in ${relative(ROOT, target)}`);
    }
  }
  return problems;
}

const docsDir = join(ROOT, 'docs');
const docsPages = readdirSync(docsDir)
  .filter((name) => name.endsWith('.md'))
  .sort()
  .map((name) => join(docsDir, name));
/** The READMEs that stay beside their code, linked from the index. */
const besideCode = [
  join(ROOT, 'gateway', 'README.md'),
  join(ROOT, 'tools', 'policy', 'README.md'),
  join(ROOT, 'apps', 'batch-predictor', 'README.md'),
];
/** The runbooks, linked from docs/runbooks.md (test/docs/runbooks.test.ts checks that index). */
const runbookDir = join(docsDir, 'runbooks');
const runbookPages = readdirSync(runbookDir)
  .filter((name) => name.endsWith('.md'))
  .sort()
  .map((name) => join(runbookDir, name));
/** The README, the docs/ pages, the READMEs beside their code and the runbooks. */
const pages = [join(ROOT, 'README.md'), ...docsPages, ...besideCode, ...runbookPages];

describe('links in the READMEs and docs/', () => {
  it.each(pages.map((page) => [relative(ROOT, page), page]))(
    '%s: every relative link resolves',
    (_, page) => {
      expect(brokenLinks(page)).toEqual([]);
    },
  );

  it('README links every docs/ page and the READMEs beside the code', () => {
    const linked = new Set(
      relativeLinks(readFileSync(join(ROOT, 'README.md'), 'utf8')).map((l) => l.split('#')[0]),
    );
    const missing = [...docsPages, ...besideCode].filter((page) => !linked.has(relative(ROOT, page)));
    expect(missing.map((page) => relative(ROOT, page))).toEqual([]);
  });
});

describe('the link checker', () => {
  it('computes anchors as GitHub does', () => {
    const anchors = anchorsOf(
      [
        '# Delivery (`.github/workflows/`)',
        "## Operators' and CI's path (`infra/aws/bastion.ts`)",
        '## Node.js',
        '## Node.js',
        '```sh',
        '# not a heading',
        '```',
      ].join('\n'),
    );
    expect([...anchors]).toEqual([
      'delivery-githubworkflows',
      'operators-and-cis-path-infraawsbastionts',
      'nodejs',
      'nodejs-1',
    ]);
  });

  it('reports a missing file and a missing anchor, and skips code and absolute links', () => {
    const dir = mkdtempSync(join(tmpdir(), 'links-'));
    try {
      writeFileSync(join(dir, 'other.md'), '# Other\n\n## Present\n');
      const page = join(dir, 'page.md');
      writeFileSync(
        page,
        [
          '# Page',
          '[ok](other.md#present) [ok](#page) [web](https://example.com/x.md#nowhere)',
          '[gone](missing.md) [no anchor](other.md#absent) [self](#nowhere)',
          '`[code](missing-too.md)`',
          '```',
          '[block](missing-three.md)',
          '```',
        ].join('\n'),
      );
      const problems = brokenLinks(page).map((p) => p.replace(/^.*page\.md: /, ''));
      expect(problems).toEqual([
        expect.stringMatching(/^link missing\.md: no file .*missing\.md$/),
        expect.stringMatching(/^link other\.md#absent: no heading with anchor #absent in .*other\.md$/),
        expect.stringMatching(/^link #nowhere: no heading with anchor #nowhere in .*page\.md$/),
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
