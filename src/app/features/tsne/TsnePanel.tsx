// The t-SNE area (item 5): two models side by side (best and worst ranked by default), each embedding the report's
// sampled finest-layer features in its own worker with the core Barnes-Hut t-SNE; iterations stream into the plot,
// points coloured by class or by case.
import { useEffect, useMemo, useRef, useState } from 'react';
import * as Comlink from 'comlink';
import type { ModelReport } from '../../../core/pipeline/report.ts';
import type { EmbeddingWorkerApi } from '../../../workers/embedding.worker.ts';
import type { EmbedFrame } from '../../../workers/embedding.worker-api.ts';
import { useAppStore } from '../../state/store.ts';
import { Plot } from '../../plot/Plot.tsx';
import { rankingRows } from '../ranking/rankingRows.ts';

type ColourBy = 'class' | 'case';

function useTsne(model: ModelReport | undefined) {
  const [frame, setFrame] = useState<{ xy: Float64Array; iteration: number; done: boolean } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const worker = useRef<{ w: Worker; api: Comlink.Remote<EmbeddingWorkerApi> } | null>(null);
  useEffect(() => {
    if (!model || model.embedding.features.length < 4) return;
    const w = new Worker(new URL('../../../workers/embedding.worker.ts', import.meta.url), { type: 'module', name: 'transferlens-tsne' });
    const api = Comlink.wrap<EmbeddingWorkerApi>(w);
    worker.current = { w, api };
    const feats = model.embedding.features;
    const n = feats.length, dim = feats[0].length;
    const pts = new Float64Array(n * dim);
    feats.forEach((row, i) => pts.set(row, i * dim));
    setFrame(null);
    setError(null);
    const onFrame = (f: EmbedFrame) => setFrame({ xy: f.embedding, iteration: f.iteration, done: f.done });
    void api.embed(Comlink.transfer(pts, [pts.buffer]), n, dim, { seed: 0, perplexity: Math.min(30, Math.floor((n - 1) / 3)) }, Comlink.proxy(onFrame), 25)
      .then((r) => { if (!r.ok) setError(r.error.message); else setFrame((f) => (f ? { ...f, done: true } : f)); })
      .catch(() => undefined);
    return () => { w.terminate(); worker.current = null; };
  }, [model]);
  return { frame, error };
}

const PALETTE = ['#8c8c8c', '#d62728', '#1f77b4', '#2ca02c', '#ff7f0e', '#9467bd', '#17becf', '#e377c2', '#bcbd22', '#7f7f7f'];

function TsneView({ models, initial, side, classes, colourBy }: { models: ModelReport[]; initial: string; side: string; classes: string[]; colourBy: ColourBy }) {
  const [id, setId] = useState(initial);
  useEffect(() => setId(initial), [initial]);
  const model = models.find((m) => m.id === id);
  const { frame, error } = useTsne(model);
  const data = useMemo(() => {
    if (!frame || !model) return [];
    const groups = colourBy === 'class' ? model.embedding.labels : model.embedding.cases;
    const ids = [...new Set(groups)].sort((a, b) => a - b);
    return ids.map((g, gi) => {
      const idx = groups.flatMap((v, i) => (v === g ? [i] : []));
      return {
        type: 'scattergl', mode: 'markers', name: colourBy === 'class' ? (classes[g] ?? `class ${g}`) : `case ${g}`,
        x: idx.map((i) => frame.xy[2 * i]), y: idx.map((i) => frame.xy[2 * i + 1]), marker: { size: 3, color: PALETTE[gi % PALETTE.length] },
      };
    });
  }, [frame, model, colourBy, classes]);
  const layout = useMemo(() => ({ height: 340, title: { text: `${id}${frame ? ` · iteration ${frame.iteration}${frame.done ? ' (done)' : ''}` : ''}`, font: { size: 12 } }, xaxis: { showticklabels: false }, yaxis: { showticklabels: false }, legend: { font: { size: 9 } } }), [id, frame]);
  return (
    <div className="tsne-view" data-testid={`tsne-${side}`} data-iteration={frame?.iteration ?? 0} data-done={frame?.done ? 'true' : 'false'} data-points={model?.embedding.features.length ?? 0}>
      <select aria-label={`Model (${side})`} value={id} onChange={(e) => setId(e.target.value)}>{models.map((m) => <option key={m.id}>{m.id}</option>)}</select>
      {error ? <p className="error">{error}</p> : <Plot data={data} layout={layout} testId={`tsne-plot-${side}`} />}
      <p className="muted">{model ? `${model.embedding.features.length} points of ${model.embedding.layer}` : ''}</p>
    </div>
  );
}

export default function TsnePanel() {
  const report = useAppStore((s) => s.report)!;
  const [colourBy, setColourBy] = useState<ColourBy>('class');
  const rows = rankingRows(report, 'ccfv_official');
  const best = rows[0]?.id, worst = rows.at(-1)?.id;
  return (
    <section className="panel" id="tsne" aria-labelledby="tsne-title" data-testid="tsne">
      <h2 id="tsne-title">5. t-SNE of the decoder features</h2>
      <p>Colour by{' '}
        <label><input type="radio" name="colour" checked={colourBy === 'class'} onChange={() => setColourBy('class')} /> class</label>{' '}
        <label><input type="radio" name="colour" checked={colourBy === 'case'} onChange={() => setColourBy('case')} /> case</label>
        <span className="muted"> · best and worst ranked by ccfv_official; Barnes-Hut t-SNE (seed 0) in a worker per view.</span>
      </p>
      <div className="side-by-side">
        {best && <TsneView models={report.models} initial={best} side="left" classes={report.classes} colourBy={colourBy} />}
        {worst && worst !== best && <TsneView models={report.models} initial={worst} side="right" classes={report.classes} colourBy={colourBy} />}
      </div>
    </section>
  );
}
