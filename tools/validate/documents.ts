import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { parseDocuments, type YamlDocument } from '../tree/documents';
import type { SchemaValidator } from './validator';

/** A problem with one document, located as precisely as the tree allows. */
export interface ValidationIssue {
  readonly file: string;
  readonly document: number;
  readonly kind?: string;
  readonly name?: string;
  readonly path: string;
  readonly message: string;
  /** The construct that rendered the file, from dist/manifest.json. */
  readonly constructPath?: string;
}

/** `file: document N (Kind/name): field.path: message` */
export function formatIssue(issue: ValidationIssue): string {
  const subject = issue.kind ? ` (${issue.kind}/${issue.name ?? '?'})` : '';
  return `${issue.file}: document ${issue.document}${subject}: ${issue.path || '(document)'}: ${issue.message}`;
}

/** Schema issues of one parsed document. */
export function documentIssues(validator: SchemaValidator, doc: YamlDocument): ValidationIssue[] {
  const at = { file: doc.file, document: doc.index };
  if (doc.parseError !== undefined) return [{ ...at, path: '', message: doc.parseError }];
  const object = doc.value as { kind?: unknown; metadata?: { name?: unknown } };
  const kind = typeof object?.kind === 'string' ? object.kind : undefined;
  const name = typeof object?.metadata?.name === 'string' ? object.metadata.name : undefined;
  return validator.validate(doc.value).map((violation) => ({ ...at, kind, name, ...violation }));
}

/** Reads and checks files, reporting paths relative to `baseDir`. */
export function validateFiles(
  validator: SchemaValidator,
  files: readonly string[],
  baseDir = process.cwd(),
): { issues: ValidationIssue[]; documents: number } {
  const issues: ValidationIssue[] = [];
  let documents = 0;
  for (const file of files) {
    const docs = parseDocuments(relative(baseDir, file) || file, readFileSync(file, 'utf8'));
    documents += docs.length;
    for (const doc of docs) issues.push(...documentIssues(validator, doc));
  }
  return { issues, documents };
}
