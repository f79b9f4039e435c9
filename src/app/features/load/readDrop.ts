// Turns a drop or a picker selection into named byte arrays (item 1): plain files, and folders walked through the
// File System entries API so a dropped DICOM series or model-bank folder arrives whole, with relative paths.
import type { Dropped } from './loadFiles.ts';

async function fromFile(file: File, path?: string): Promise<Dropped> {
  return { name: file.name, path: path ?? (file as File & { webkitRelativePath?: string }).webkitRelativePath ?? file.name, bytes: new Uint8Array(await file.arrayBuffer()) };
}

interface EntryLike { isFile: boolean; isDirectory: boolean; name: string; fullPath: string }
interface FileEntryLike extends EntryLike { file(ok: (f: File) => void, err: (e: unknown) => void): void }
interface DirEntryLike extends EntryLike { createReader(): { readEntries(ok: (e: EntryLike[]) => void, err: (e: unknown) => void): void } }

async function walk(entry: EntryLike, out: Promise<Dropped>[]): Promise<void> {
  if (entry.isFile) {
    const f = await new Promise<File>((ok, err) => (entry as FileEntryLike).file(ok, err));
    out.push(fromFile(f, entry.fullPath.replace(/^\//, '')));
  } else if (entry.isDirectory) {
    const reader = (entry as DirEntryLike).createReader();
    for (;;) {
      const batch = await new Promise<EntryLike[]>((ok, err) => reader.readEntries(ok, err));
      if (batch.length === 0) break;
      for (const e of batch) await walk(e, out);
    }
  }
}

export async function readDataTransfer(dt: DataTransfer): Promise<Dropped[]> {
  const out: Promise<Dropped>[] = [];
  const items = Array.from(dt.items ?? []);
  const entries = items.map((i) => (i as DataTransferItem & { webkitGetAsEntry?: () => EntryLike | null }).webkitGetAsEntry?.() ?? null);
  if (entries.length > 0 && entries.every((e) => e !== null)) {
    for (const e of entries) await walk(e!, out);
  } else {
    for (const f of Array.from(dt.files)) out.push(fromFile(f));
  }
  return Promise.all(out);
}

export const readFileList = (files: FileList | File[]) => Promise.all(Array.from(files).map((f) => fromFile(f)));
