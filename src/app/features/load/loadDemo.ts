// "Load demo" (item 1): fetches the bundled bank, targets and fine-tuned Dice from the app's own origin (listed
// at build time in virtual:demo-catalog) into the file cache and the bank slice. 2-D models only, as the CLI's --demo.
// The typing of the virtual module sits beside its plugin; tsc skips that .d.ts because a .ts of the same name exists.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="../../../../tools/vite/demoCatalog.d.ts" />
import catalog from 'virtual:demo-catalog';
import type { DiceTable } from '../../../core/pipeline/correlate.ts';
import type { Normalization } from '../../../core/types.ts';
import { appStore } from '../../state/store.ts';
import { fileCache } from '../../state/fileCache.ts';

const base = () => new URL(import.meta.env.BASE_URL, location.href);

async function bytesOf(url: string): Promise<Uint8Array> {
  const r = await fetch(new URL(url, base()));
  if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
  return new Uint8Array(await r.arrayBuffer());
}

export async function loadDemo(): Promise<void> {
  const s = appStore.getState();
  const models = catalog.models.filter((m) => m.manifest.dim === 2);
  const jobs = models.map(async ({ manifest, url }) => {
    const fileName = url.replace(/^.*\//, '');
    s.upsertModel({ id: manifest.id, fileName, source: 'demo', status: 'checking', manifest, problems: [] });
    try {
      fileCache.put(`model:${manifest.id}`, [{ name: fileName, bytes: await bytesOf(url) }]);
      appStore.getState().upsertModel({ id: manifest.id, fileName, source: 'demo', status: 'ok', manifest, problems: [] });
    } catch (e) {
      appStore.getState().upsertModel({ id: manifest.id, fileName, source: 'demo', status: 'error', manifest, problems: [(e as Error).message] });
    }
  });
  const targets = catalog.targets.map(async ({ target, imageUrl, labelUrl }) => {
    const t = target;
    const item = {
      id: t.id, name: t.name, source: 'demo' as const, imageName: imageUrl.replace(/^demo\/targets\//, ''), labelName: labelUrl.replace(/^demo\/targets\//, ''),
      classNames: t.class_names, axis: t.slice_axis, sliceIndices: t.train_slices, heldOutPool: t.task_slices, normalization: t.normalization as Normalization, cases: t.train_slices.length,
      size: t.image_shape_ijk as number[] | undefined, spacing: t.spacing_ijk_mm as number[] | undefined, labelsAreDerived: t.labels_are_derived ?? true, problems: [] as string[],
    };
    s.upsertTarget({ ...item, status: 'checking' });
    try {
      const [img, lab] = await Promise.all([bytesOf(imageUrl), bytesOf(labelUrl)]);
      const imgFiles = [{ name: `${t.id}/${imageUrl.replace(/^.*\//, '')}`, bytes: img }];
      const labFiles = [{ name: `${t.id}/${labelUrl.replace(/^.*\//, '')}`, bytes: lab }];
      fileCache.put(`target-image:${t.id}`, imgFiles);
      fileCache.put(`target-label:${t.id}`, labFiles);
      appStore.getState().upsertTarget({ ...item, status: 'ok' });
    } catch (e) {
      appStore.getState().upsertTarget({ ...item, status: 'error', problems: [(e as Error).message] });
    }
  });
  if (catalog.dice) s.upsertDice({ id: 'dice:demo', fileName: 'demo/finetune-dice.json', source: 'demo', tables: catalog.dice.targets as Record<string, DiceTable>, problems: [] });
  await Promise.all([...jobs, ...targets]);
}
