// The only plotly import of the app (architecture: app/plot/): a ~20-line component that lazy-loads
// plotly.js-dist-min, calls Plotly.react on every prop change and purges on unmount (browser-stack §6).
import { useEffect, useRef } from 'react';

type PlotlyModule = typeof import('plotly.js-dist-min');
let plotly: Promise<PlotlyModule> | null = null;
const loadPlotly = () => (plotly ??= import('plotly.js-dist-min').then((m) => ((m as unknown as { default?: PlotlyModule }).default ?? m)));

export interface PlotProps {
  data: unknown[];
  layout: Record<string, unknown>;
  testId?: string;
  onPointClick?: (point: { pointIndex: number; curveNumber: number; customdata?: unknown }) => void;
  onRendered?: () => void;
}

export function Plot({ data, layout, testId, onPointClick, onRendered }: PlotProps) {
  const div = useRef<HTMLDivElement>(null);
  useEffect(() => {
    let alive = true;
    void loadPlotly().then(async (P) => {
      if (!alive || !div.current) return;
      await P.react(div.current, data as never, { margin: { t: 30, r: 10, b: 50, l: 60 }, ...layout } as never, { displaylogo: false, responsive: true } as never);
      if (onPointClick) {
        const el = div.current as unknown as { removeAllListeners?: (e: string) => void; on: (e: string, f: (ev: { points: { pointIndex: number; curveNumber: number; customdata?: unknown }[] }) => void) => void };
        el.removeAllListeners?.('plotly_click');
        el.on('plotly_click', (ev) => ev.points[0] && onPointClick(ev.points[0]));
      }
      div.current.dataset.rendered = 'true';
      onRendered?.();
    });
    return () => { alive = false; };
  }, [data, layout, onPointClick, onRendered]);
  useEffect(() => () => { const el = div.current; if (el) void loadPlotly().then((P) => P.purge(el)); }, []);
  return <div ref={div} className="plot" data-testid={testId} />;
}

/** A PNG of a rendered plot (Export, item 7). */
export async function plotPng(el: HTMLElement, name: string): Promise<void> {
  const P = await loadPlotly();
  const url = await P.toImage(el as never, { format: 'png', width: 900, height: 600 } as never);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
}
