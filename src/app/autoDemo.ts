// The embedded default job (item 10): `?demo=1` loads the demo bank and runs the study at once, so `npm start`
// shows a full ranking, scatter, t-SNE and risk map untouched. Optional `target=<id>` and `provider=wasm|webgpu|auto`.
import { appStore } from './state/store.ts';
import { loadDemo } from './features/load/loadDemo.ts';
import { startRun } from './features/run/startRun.ts';
import type { ProviderOption } from './state/runSlice.ts';

export async function autoDemo(search: string): Promise<void> {
  const q = new URLSearchParams(search);
  if (q.get('demo') !== '1') return;
  await loadDemo();
  const s = appStore.getState();
  const want = q.get('target');
  const ok = s.targets.filter((t) => t.status === 'ok');
  const dice = s.dice.flatMap((d) => Object.keys(d.tables));
  // Default: the first target that has fine-tuned Dice (so the scatter has points), else the first target.
  const target = ok.find((t) => t.id === want) ?? ok.find((t) => dice.includes(t.id)) ?? ok[0];
  if (target) s.selectTarget(target.id);
  const provider = q.get('provider');
  if (provider === 'wasm' || provider === 'webgpu' || provider === 'auto') s.setRunOptions({ providers: provider as ProviderOption });
  const resamples = q.get('resamples');
  if (resamples !== null && Number.isFinite(Number(resamples))) s.setRunOptions({ resamples: Number(resamples) });
  await startRun();
}
