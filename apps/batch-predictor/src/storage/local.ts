import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { ObjectStore, StoredObject } from './store';

/**
 * A directory as an object store, for tests and local runs. Writes go to a
 * temporary file in the same directory, then rename (replace) or link
 * (create-if-absent, failing on an existing name): both atomic on POSIX.
 */
export class LocalStore implements ObjectStore {
  readonly location: string;
  private readonly root: string;

  constructor(directory: string) {
    this.root = resolve(directory);
    this.location = `file://${this.root}/`;
  }

  private path(key: string): string {
    const path = resolve(this.root, key);
    if (path !== this.root && !path.startsWith(this.root + sep)) {
      throw new Error(`${this.location}: key "${key}" leaves the directory`);
    }
    return path;
  }

  async list(prefix: string): Promise<StoredObject[]> {
    const found: StoredObject[] = [];
    const walk = async (directory: string): Promise<void> => {
      let entries: import('node:fs').Dirent[];
      try {
        entries = await fs.readdir(directory, { withFileTypes: true });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
        throw error;
      }
      for (const entry of entries) {
        const path = join(directory, entry.name);
        if (entry.isDirectory()) await walk(path);
        else if (entry.isFile() && !entry.name.startsWith('.tmp-')) {
          const key = relative(this.root, path).split(sep).join('/');
          if (!key.startsWith(prefix)) continue;
          const stat = await fs.stat(path);
          found.push({ key, size: stat.size, version: `${stat.mtimeMs}-${stat.size}` });
        }
      }
    };
    await walk(this.root);
    return found.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  async read(key: string): Promise<Buffer | undefined> {
    try {
      return await fs.readFile(this.path(key));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async write(key: string, body: Buffer, options: { ifAbsent?: boolean } = {}): Promise<boolean> {
    const target = this.path(key);
    await fs.mkdir(dirname(target), { recursive: true });
    const temporary = join(dirname(target), `.tmp-${process.pid}-${randomBytes(6).toString('hex')}`);
    await fs.writeFile(temporary, body, { flush: true });
    try {
      if (!options.ifAbsent) {
        await fs.rename(temporary, target);
        return true;
      }
      try {
        await fs.link(temporary, target);
        return true;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
        throw error;
      }
    } finally {
      await fs.rm(temporary, { force: true });
    }
  }

  async remove(key: string): Promise<void> {
    await fs.rm(this.path(key), { force: true });
  }
}
