// The bytes behind the store's ids (architecture convention 5): the store keeps ids, metadata and status; the
// files themselves (models, scans, labels) live here, keyed by the same id. Never put a heap in the store.
import type { InputFile } from '../../core/ports.ts';

const cache = new Map<string, InputFile[]>();

export const fileCache = {
  put(id: string, files: InputFile[]): void { cache.set(id, files); },
  get(id: string): InputFile[] | undefined { return cache.get(id); },
  /** Fresh copies of the bytes (the analysis client transfers, i.e. detaches, what it is given). */
  copy(id: string): InputFile[] {
    const f = cache.get(id);
    if (!f) throw new Error(`no cached files for "${id}"`);
    return f.map((x) => ({ name: x.name, bytes: x.bytes.slice() }));
  },
  delete(id: string): void { cache.delete(id); },
  clear(): void { cache.clear(); },
};
