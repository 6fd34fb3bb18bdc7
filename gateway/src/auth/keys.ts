import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';

/**
 * API keys. The source (a mounted Secret file or GATEWAY_API_KEYS) holds either the key itself
 * or its SHA-256; only digests are kept in memory, and lookups compare digests in constant time
 * against every entry so timing reveals nothing about which keys exist.
 *
 * File format (JSON): [{ "id": "team-a", "key": "..." }, { "id": "team-b", "sha256": "<hex>", "disabled": true }]
 * Environment format: the same JSON, or "id:key,id2:key2" (append ":disabled" to disable a key;
 * a key containing ":" must use the JSON format).
 */

const ENTRY_FORMAT =
  'Each entry is {"id": "<1 to 64 characters>", "key": "<at least 16 characters>"} or ' +
  '{"id": "...", "sha256": "<64 hex digits>"}, optionally with "disabled": true';
const ENVIRONMENT_FORMAT =
  'GATEWAY_API_KEYS is a JSON list of entries or "id:key,id2:key2:disabled" ' +
  '(after the key only ":disabled" may follow; a key containing ":" must use the JSON format)';

const entrySchema = z.union([
  z.strictObject({
    id: z.string().min(1).max(64),
    key: z.string().min(16),
    disabled: z.boolean().default(false),
  }),
  z.strictObject({
    id: z.string().min(1).max(64),
    sha256: z.string().regex(/^[0-9a-f]{64}$/i),
    disabled: z.boolean().default(false),
  }),
]);
const fileSchema = z.array(entrySchema).min(1);

export interface ApiKeyEntry {
  id: string;
  digest: Buffer;
  disabled: boolean;
}

export type KeyCheck =
  | { result: 'valid'; id: string }
  | { result: 'unknown' }
  | { result: 'disabled'; id: string };

export class ApiKeyStore {
  private constructor(private entries: readonly ApiKeyEntry[]) {}

  /**
   * Takes the keys of another store (a reloaded Secret). Requests in flight keep the check they
   * already made; the next request sees the new keys.
   */
  replaceWith(other: ApiKeyStore): void {
    this.entries = other.entries;
  }

  static fromEntries(raw: unknown, source: string): ApiKeyStore {
    const parsed = fileSchema.safeParse(raw);
    if (!parsed.success) {
      // Problems name entries and fields only; values (the keys) are never echoed.
      throw new Error(
        `API keys from ${source} are invalid: ${describeProblems(raw).join('; ')}. ${ENTRY_FORMAT}`,
      );
    }
    const ids = new Set<string>();
    const entries = parsed.data.map((entry) => {
      if (ids.has(entry.id)) throw new Error(`API keys from ${source}: duplicate id "${entry.id}"`);
      ids.add(entry.id);
      const digest = 'key' in entry ? sha256(entry.key) : Buffer.from(entry.sha256, 'hex');
      return { id: entry.id, digest, disabled: entry.disabled };
    });
    return new ApiKeyStore(entries);
  }

  static fromFile(path: string): ApiKeyStore {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(path, 'utf8'));
    } catch (error) {
      throw new Error(
        `cannot read API keys file ${path}: ${(error as NodeJS.ErrnoException).code ?? 'not valid JSON'}`,
      );
    }
    return ApiKeyStore.fromEntries(raw, path);
  }

  static fromEnvironment(value: string): ApiKeyStore {
    const trimmed = value.trim();
    if (trimmed.startsWith('[')) {
      let raw: unknown;
      try {
        raw = JSON.parse(trimmed);
      } catch {
        throw new Error('GATEWAY_API_KEYS is not valid JSON');
      }
      return ApiKeyStore.fromEntries(raw, 'GATEWAY_API_KEYS');
    }
    const entries = trimmed
      .split(',')
      .filter((part) => part.trim() !== '')
      .map((part, index) => {
        const fields = part.trim().split(':');
        const [id, key, flag] = fields;
        if (fields.length < 2 || id === '' || key === '') {
          throw new Error(`GATEWAY_API_KEYS entry #${index + 1} has no id or no key. ${ENVIRONMENT_FORMAT}`);
        }
        if (fields.length > 3 || (flag !== undefined && flag !== 'disabled')) {
          // A misspelt flag and a key containing ":" look the same: refuse both rather than guess.
          throw new Error(
            `GATEWAY_API_KEYS entry #${index + 1} (id "${id.slice(0, 64)}") has something other than ":disabled" after its key. ${ENVIRONMENT_FORMAT}`,
          );
        }
        return { id, key, disabled: flag === 'disabled' };
      });
    return ApiKeyStore.fromEntries(entries, 'GATEWAY_API_KEYS');
  }

  get size(): number {
    return this.entries.length;
  }

  check(presented: string): KeyCheck {
    const digest = sha256(presented);
    let match: ApiKeyEntry | undefined;
    // No early exit: every entry is compared whatever matches.
    for (const entry of this.entries) {
      if (timingSafeEqual(entry.digest, digest) && match === undefined) match = entry;
    }
    if (match === undefined) return { result: 'unknown' };
    return match.disabled ? { result: 'disabled', id: match.id } : { result: 'valid', id: match.id };
  }
}

/** What is wrong with a list of key entries, by entry number and field, never quoting a value. */
function describeProblems(raw: unknown): string[] {
  if (!Array.isArray(raw)) return ['not a JSON list'];
  if (raw.length === 0) return ['the list is empty'];
  const problems: string[] = [];
  raw.forEach((entry, index) => {
    const where = `entry #${index + 1}`;
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
      problems.push(`${where} is not an object`);
      return;
    }
    const fields = entry as Record<string, unknown>;
    const found: string[] = [];
    if (typeof fields.id !== 'string' || fields.id.length === 0 || fields.id.length > 64) {
      found.push('"id" must be a string of 1 to 64 characters');
    }
    const hasKey = 'key' in fields;
    const hasDigest = 'sha256' in fields;
    if (hasKey === hasDigest) found.push('needs exactly one of "key" and "sha256"');
    if (hasKey && (typeof fields.key !== 'string' || fields.key.length < 16)) {
      found.push('"key" must be a string of at least 16 characters');
    }
    if (hasDigest && (typeof fields.sha256 !== 'string' || !/^[0-9a-f]{64}$/i.test(fields.sha256))) {
      found.push('"sha256" must be 64 hex digits');
    }
    if ('disabled' in fields && typeof fields.disabled !== 'boolean')
      found.push('"disabled" must be true or false');
    if (Object.keys(fields).some((name) => !['id', 'key', 'sha256', 'disabled'].includes(name))) {
      found.push('has fields other than id, key, sha256 and disabled');
    }
    if (found.length > 0) problems.push(`${where}: ${found.join(', ')}`);
  });
  return problems.length > 0 ? problems : ['an entry does not match the format'];
}

function sha256(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** The key presented with a request: `x-api-key: KEY` or `Authorization: Bearer KEY`. */
export function presentedKey(headers: Record<string, string | string[] | undefined>): string | undefined {
  const header = headers['x-api-key'];
  if (typeof header === 'string' && header !== '') return header;
  const authorization = headers.authorization;
  if (typeof authorization === 'string') {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (match) return match[1];
  }
  return undefined;
}
