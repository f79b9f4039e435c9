// The lab's curves (issue 8 §3): training loss of every run, and the per-layer-group LRs of one run over the
// iterations (MetaLR's U-shape across depth), through the app's single plotly component.
import { useMemo } from 'react';
import { Plot } from '../../plot/Plot.tsx';
import type { LabRun } from './labRuns.ts';
import type { LiveRun } from './useLabRunner.ts';

export function LossPlot({ runs, live }: { runs: LabRun[]; live: LiveRun | null }) {
  const data = useMemo(() => {
    const shown = runs.map((r) => ({ name: `${r.condition} s${r.seed}`, c: r.result.curves }));
    const done = live && runs.some((r) => r.condition === live.condition && r.seed === live.seed);
    if (live && !done) shown.push({ name: `${live.condition} s${live.seed} (running)`, c: live.curves });
    return shown.map((s) => ({ type: 'scatter', mode: 'lines', name: s.name, x: s.c.iteration, y: s.c.loss }));
  }, [runs, live]);
  const layout = useMemo(() => ({ title: { text: 'Training loss' }, xaxis: { title: { text: 'iteration' } }, yaxis: { title: { text: 'loss' } }, height: 320 }), []);
  return <Plot data={data} layout={layout} testId="lab-loss-plot" />;
}

export function LrPlot({ run }: { run: { name: string; lrs: Record<string, number[]>; iteration: number[] } | null }) {
  const data = useMemo(() => (run ? Object.entries(run.lrs).map(([g, v]) => ({ type: 'scatter', mode: 'lines', name: g, x: run.iteration, y: v })) : []), [run]);
  const layout = useMemo(() => ({ title: { text: run ? `Per-layer LR: ${run.name}` : 'Per-layer LR' }, xaxis: { title: { text: 'iteration' } }, yaxis: { title: { text: 'LR' }, type: 'log' }, height: 320 }), [run]);
  if (!run) return null;
  return <Plot data={data} layout={layout} testId="lab-lr-plot" />;
}
