// Starts a study from the loaded bank (item 2): the CLI's spec (src/cli/rankCommand.ts, same names and defaults),
// run one model at a time in the analysis worker so a cancel keeps finished models; progress, ETA and provider
// flow into the run slice; the merged report (mergeStudies) is the CLI's report for the same data and seed.
import type { PipelineEvent } from '../../../core/events.ts';
import type { StudyReport } from '../../../core/pipeline/report.ts';
import type { StudySpec } from '../../../core/pipeline/runStudy.ts';
import { appStore, type AppState } from '../../state/store.ts';
import { fileCache } from '../../state/fileCache.ts';
import { analysisClient } from '../../workers.ts';
import { diceFor } from '../load/diceFile.ts';
import { mergeStudies } from './mergeStudies.ts';

/** The spec of one model's study: target and options as the CLI builds them. */
export function studySpecFor(s: AppState, modelId: string): StudySpec {
  const t = s.targets.find((x) => x.id === s.selectedTarget);
  const m = s.models.find((x) => x.id === modelId);
  if (!t || !m?.manifest) throw new Error('choose a target and at least one valid model');
  const o = s.runOptions;
  return {
    seed: o.seed, caseUnit: o.caseUnit, slabSize: o.slabSize, sampling: o.sampling, bootstrapResamples: o.resamples,
    embeddingPoints: o.embeddingPoints, roiSize: o.roiSize.length === 3 ? o.roiSize : undefined,
    ...(o.estimators.length ? { estimators: o.estimators } : {}),
    target: { id: t.id, name: t.name, classNames: t.classNames, axis: t.axis, sliceIndices: t.sliceIndices, image: fileCache.copy(`target-image:${t.id}`), label: fileCache.copy(`target-label:${t.id}`) },
    models: [{ manifest: m.manifest, file: fileCache.copy(`model:${m.id}`)[0] }],
  };
}

let cancelled = false;
let cancelAt = 0;

export async function startRun(): Promise<StudyReport | null> {
  const s = appStore.getState();
  if (s.runStatus === 'running') return null;
  const ids = s.models.filter((m) => m.status === 'ok' && m.manifest && !m.derived).map((m) => m.id);
  const target = s.targets.find((x) => x.id === s.selectedTarget);
  if (!target || target.status !== 'ok' || ids.length === 0) {
    s.setRunState({ runStatus: 'error', runError: 'Load a valid target (image + label) and at least one valid model first.' });
    return null;
  }
  cancelled = false;
  const dice = diceFor(s.dice, target.id);
  const t0 = performance.now();
  const parts: StudyReport[] = [];
  const set = appStore.getState().setRunState;
  set({ runStatus: 'running', runError: null, report: null, runSeconds: null, cancelMs: null, provider: null, progress: { stage: 'starting', modelIndex: 0, modelCount: ids.length, fraction: 0, done: 0, total: 1, etaSeconds: null } });
  const opts = { seed: s.runOptions.seed, resamples: s.runOptions.resamples, dice };
  for (let i = 0; i < ids.length && !cancelled; i++) {
    const onEvent = (e: PipelineEvent) => {
      if (e.type !== 'progress' || e.stage === 'models') return;
      const within = e.stage === 'scoring' ? 0.95 : 0.9 * (e.done / Math.max(1, e.total));
      const fraction = (i + within) / ids.length;
      const elapsed = (performance.now() - t0) / 1000;
      set({ progress: { stage: e.stage, model: e.model, modelIndex: i, modelCount: ids.length, fraction, done: e.done, total: e.total, etaSeconds: fraction > 0.02 ? elapsed * (1 - fraction) / fraction : null } });
    };
    try {
      const r = await analysisClient.runStudy(studySpecFor(appStore.getState(), ids[i]), onEvent, { providers: s.runOptions.providers });
      parts.push(r.report);
      const merged = mergeStudies(parts, opts);
      set({ report: merged, provider: r.report.models[0]?.provider ?? null, progress: { stage: 'scored', model: ids[i], modelIndex: i + 1, modelCount: ids.length, fraction: (i + 1) / ids.length, done: 1, total: 1, etaSeconds: ((performance.now() - t0) / 1000) * (ids.length - i - 1) / (i + 1) } });
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code === 'cancelled' || cancelled) break;
      set({ runStatus: 'error', runError: `${ids[i]}: ${(err as Error).message}`, runSeconds: (performance.now() - t0) / 1000 });
      return mergeStudies(parts, opts);
    }
  }
  const report = mergeStudies(parts, opts);
  set({ runStatus: cancelled ? 'cancelled' : 'done', report, runSeconds: (performance.now() - t0) / 1000, cancelMs: cancelled ? performance.now() - cancelAt : null });
  return report;
}

/** Stops the run within a second: cooperative first, then the worker is terminated (finished models are kept). */
export async function cancelRun(): Promise<void> {
  if (appStore.getState().runStatus !== 'running') return;
  cancelled = true;
  cancelAt = performance.now();
  await analysisClient.cancel(500);
}
