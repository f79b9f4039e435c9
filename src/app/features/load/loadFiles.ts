// Takes dropped or picked files into the bank (item 1): classifies them, caches the bytes by id, and validates
// each in the tools worker; problems are stated per item. A failing file never replaces a loaded, valid one.
import type { InputFile } from '../../../core/ports.ts';
import type { ModelManifest } from '../../../core/types.ts';
import { appStore } from '../../state/store.ts';
import { fileCache } from '../../state/fileCache.ts';
import type { ModelItem, TargetItem } from '../../state/bankSlice.ts';
import { toolsWorker } from '../../workers.ts';
import { fileKind, pairVolumes, stem, type NamedFile } from './classifyFiles.ts';
import { looksLikeManifest, parseDice } from './diceFile.ts';

export interface Dropped extends NamedFile { bytes: Uint8Array }

const store = () => appStore.getState();

function keepGood<T extends { id: string; status: string }>(list: T[], item: T, put: (x: T) => void, name: string, problem: string) {
  const old = list.find((x) => x.id === item.id);
  if (old && old.status === 'ok' && item.status === 'error') store().reject({ name, problem: `${problem} (the loaded "${item.id}" is kept)` });
  else put(item);
}

export async function loadFiles(files: Dropped[]): Promise<void> {
  const jsons = files.filter((f) => fileKind(f.name) === 'json');
  const onnx = files.filter((f) => fileKind(f.name) === 'onnx');
  const sidecars = new Map<string, Dropped>();
  const jobs: Promise<void>[] = [];
  for (const j of jsons) {
    let parsed: unknown;
    try { parsed = JSON.parse(new TextDecoder().decode(j.bytes)); } catch (e) { store().reject({ name: j.name, problem: `${j.name}: not valid JSON (${(e as Error).message})` }); continue; }
    if (looksLikeManifest(parsed) || onnx.some((o) => stem(o.name) === stem(j.name))) sidecars.set(stem(j.name), j);
    else jobs.push(loadDice(j));
  }
  for (const o of onnx) jobs.push(loadModel(o, sidecars.get(stem(o.name))));
  for (const s of sidecars.keys()) if (!onnx.some((o) => stem(o.name) === s)) store().reject({ name: sidecars.get(s)!.name, problem: `${sidecars.get(s)!.name}: a model manifest without its ONNX file (${s}.onnx)` });
  for (const f of files.filter((x) => fileKind(x.name) === 'dice-csv')) jobs.push(loadDice(f));
  for (const f of files.filter((x) => fileKind(x.name) === 'unknown')) store().reject({ name: f.name, problem: `${f.name}: not a file TransferLens reads (NIfTI, NRRD, MHA, DICOM, ONNX + .json, Dice .csv/.json)` });
  const volumes = files.filter((x) => fileKind(x.name) === 'volume');
  const dicom = files.filter((x) => fileKind(x.name) === 'dicom');
  for (const p of pairVolumes(volumes)) jobs.push(loadTarget([p.image], p.label ? [p.label] : undefined));
  if (dicom.length) jobs.push(loadTarget(dicom, pairVolumes(volumes).length === 0 ? volumes.slice(0, 1) : undefined));
  await Promise.all(jobs);
}

async function loadDice(f: Dropped) {
  try {
    const tables = parseDice(f.name, new TextDecoder().decode(f.bytes));
    store().upsertDice({ id: `dice:${f.name}`, fileName: f.name, source: 'user', tables, problems: [] });
  } catch (e) {
    store().reject({ name: f.name, problem: (e as Error).message });
  }
}

async function loadModel(o: Dropped, sidecar?: Dropped) {
  const file: InputFile = { name: o.name.replace(/^.*\//, ''), bytes: o.bytes };
  let manifest: ModelManifest | undefined;
  let derived = false;
  const problems: string[] = [];
  if (sidecar) manifest = JSON.parse(new TextDecoder().decode(sidecar.bytes)) as ModelManifest;
  else {
    const r = await toolsWorker().inspect({ name: file.name, bytes: file.bytes.slice() });
    if (r.ok) { manifest = r.proposed; derived = true; problems.push(`no sidecar: manifest derived from the graph; check it (${r.notes.join('; ') || 'decoder features proposed'})`); }
    else problems.push(`${file.name}: no sidecar ${stem(file.name)}.json and no manifest could be derived: ${r.error.message}`);
  }
  const id = (manifest?.id && typeof manifest.id === 'string' ? manifest.id : stem(file.name));
  const base: ModelItem = { id, fileName: file.name, source: 'user', status: 'checking', manifest, derived, problems };
  if (manifest) {
    const r = await toolsWorker().checkModel({ name: file.name, bytes: file.bytes.slice() }, manifest);
    if (!r.ok) problems.push(r.error.message);
    else problems.push(...r.problems);
  }
  const hard = !manifest || problems.some((p) => !p.startsWith('no sidecar'));
  const item: ModelItem = { ...base, status: hard ? 'error' : 'ok', problems };
  if (!hard) fileCache.put(`model:${id}`, [file]);
  keepGood(store().models, item, store().upsertModel, file.name, problems.join('; '));
}

async function loadTarget(image: Dropped[], label?: Dropped[]) {
  const imgFiles = image.map((f) => ({ name: f.name, bytes: f.bytes }));
  const labFiles = label?.map((f) => ({ name: f.name, bytes: f.bytes }));
  const id = image.length > 1 ? `dicom-${image.length}` : stem(image[0].name);
  const r = await toolsWorker().checkTarget(imgFiles.map((f) => ({ ...f, bytes: f.bytes.slice() })), labFiles?.map((f) => ({ ...f, bytes: f.bytes.slice() })));
  const t: TargetItem = {
    id, name: id, source: 'user', status: 'error', imageName: image.length > 1 ? `${image.length} DICOM files` : image[0].name,
    labelName: label?.[0]?.name, classNames: [], axis: 2, problems: [],
  };
  if (!r.ok) {
    t.problems.push(r.error.message);
  } else {
    const nClasses = r.labelValues ? Math.max(...r.labelValues) + 1 : 0;
    Object.assign(t, {
      size: r.image.size, spacing: r.image.spacing, problems: r.problems,
      classNames: Array.from({ length: nClasses }, (_, k) => (k === 0 ? 'background' : `class_${k}`)),
      cases: r.foregroundSlices?.[2].length,
      status: r.problems.length === 0 ? 'ok' : 'error',
    });
    if (t.status === 'ok') {
      fileCache.put(`target-image:${id}`, imgFiles);
      fileCache.put(`target-label:${id}`, labFiles ?? []);
    }
  }
  keepGood(store().targets, t, store().upsertTarget, t.imageName, t.problems.join('; '));
}
