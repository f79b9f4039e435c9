// Runs the lab's plan in the fine-tuning worker (issue 8 §3): prepare the target's slices once, then every chosen
// condition × seed in turn, streaming steps; cancel stops the current run and skips the rest.
import { useCallback, useRef, useState } from 'react';
import * as Comlink from 'comlink';
import { emptyCurves, pushStep, type FinetuneCurves } from '../../../core/finetune/finetuneResult.ts';
import type { ModelItem, TargetItem } from '../../state/bankSlice.ts';
import { fileCache } from '../../state/fileCache.ts';
import type { FinetuneEvent, Prepared } from '../../../workers/finetune.worker-api.ts';
import { CONDITIONS, conditionOptions, type LabRun, type SchemeOptions } from './labRuns.ts';
import { finetuneWorker } from './labWorker.ts';
import type { RiskRun } from './RiskBeforeAfter.tsx';

export interface LabPlan {
  model: ModelItem; target: TargetItem; conditions: string[]; seeds: number; iterations: number; batch: number; lr: number;
  /** The training slices, or blocks for a 3-D model (the split editor's); the held-out ones follow. */
  train: number[];
  /** A 3-D model's block of voxels (slices × rows × columns); absent for a 2-D model (slices). */
  block?: [number, number, number];
  /** Scheme options for every condition, and layer-group overrides (parameter → group). */
  scheme: SchemeOptions; groupOverrides: Record<string, string>;
}
export interface LiveRun { condition: string; seed: number; curves: FinetuneCurves; groups: string[] }

export function useLabRunner() {
  const [runs, setRuns] = useState<LabRun[]>([]);
  const [live, setLive] = useState<LiveRun | null>(null);
  const [riskRuns, setRiskRuns] = useState<RiskRun[]>([]);
  const [status, setStatus] = useState<{ text: string; backend?: string; webgpu?: string; running: boolean; error?: string }>({ text: '', running: false });
  const [split, setSplit] = useState<Prepared | null>(null);
  const stop = useRef(false);

  const start = useCallback(async (plan: LabPlan) => {
    const w = finetuneWorker();
    stop.current = false;
    setRuns([]); setLive(null); setRiskRuns([]);
    setStatus({ text: 'Starting the fine-tuning engine…', running: true });
    const info = await w.backendInfo();
    const engine = { backend: String(info.backend), webgpu: info.webgpu === undefined ? undefined : String(info.webgpu) };
    const m = plan.model.manifest!, t = plan.target;
    setStatus({ text: `Reading ${t.id}…`, ...engine, running: true });
    const prep = await w.prepare(fileCache.copy(`target-image:${t.id}`), fileCache.copy(`target-label:${t.id}`), t.normalization ?? m.normalization, t.axis, plan.train, t.heldOutPool, plan.block);
    if (!prep.ok) { setStatus({ text: '', running: false, error: prep.error.message }); return; }
    setSplit(prep.prepared);
    for (let seed = 0; seed < plan.seeds && !stop.current; seed++) {
      for (const cid of plan.conditions) {
        if (stop.current) break;
        const c = CONDITIONS.find((x) => x.id === cid)!;
        let cur: LiveRun = { condition: cid, seed, curves: emptyCurves([]), groups: [] };
        const onEvent = (e: FinetuneEvent) => {
          if (e.type === 'started') cur = { ...cur, groups: e.groups, curves: emptyCurves(e.groups) };
          else cur = { ...cur, curves: { ...pushStep(cur.curves, cur.groups, e.step, e.seconds) } };
          setLive(cur);
          setStatus({ text: `${c.label}, seed ${seed}: iteration ${cur.curves.iteration.length}/${plan.iterations}`, ...engine, running: true });
        };
        const r = await w.finetune({
          onnx: fileCache.copy(`model:${plan.model.id}`)[0].bytes, manifest: { logits_name: m.logits_name, id: m.id }, train: prep.prepared.train, test: prep.prepared.test,
          options: { ...conditionOptions(c, plan.scheme), iterations: plan.iterations, batch: plan.batch, seed, lr: plan.lr,
            ...(Object.keys(plan.groupOverrides).length ? { groupOverrides: plan.groupOverrides } : {}) },
          riskMaps: true,
          provenance: { target: t.id, normalization: t.normalization ?? m.normalization, axis: t.axis }, exportOnnx: true,
        }, Comlink.proxy(onEvent));
        if (!r.ok) { setStatus({ text: '', running: false, error: `${c.label}, seed ${seed}: ${r.error.message}` }); return; }
        const risk = r.result.risk, slices = r.riskSlices;
        if (risk && slices) setRiskRuns((rs) => [...rs, { condition: cid, seed, risk, slices }]);
        setRuns((rs) => [...rs, { condition: cid, seed, result: r.result, cancelled: r.cancelled, onnx: r.onnx }]);
      }
    }
    setStatus({ text: stop.current ? 'Cancelled.' : 'Done.', ...engine, running: false });
  }, []);

  const cancel = useCallback(() => { stop.current = true; void finetuneWorker().cancel(); }, []);
  return { runs, live, status, split, start, cancel, riskRuns };
}
