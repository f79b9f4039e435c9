// The lab's "Risk map before / after fine-tuning" view (Transfer Risk Map paper, Fig. 2): a held-out slice in grey
// with R as a heat overlay from the source model (before) and the fine-tuned one (after), on one fixed 1..10 scale
// with a colour bar, a slice selector, and the per-class mean risk before → after. The maps come from the worker.
import { useEffect, useRef, useState } from 'react';
import type { RiskComparison, RiskSlice } from '../../../core/finetune/riskCompare.ts';
import { colorBarPixels, overlayPixels, R_MAX, R_MIN } from './riskColors.ts';

export interface RiskRun { condition: string; seed: number; risk: RiskComparison; slices: RiskSlice[] }

const SIZE = 224; // CSS pixels per map

function PixelCanvas({ pixels, w, h, testId, label, css }: { pixels: Uint8ClampedArray; w: number; h: number; testId: string; label: string; css?: React.CSSProperties }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (ctx) ctx.putImageData(new ImageData(pixels as Uint8ClampedArray<ArrayBuffer>, w, h), 0, 0);
  }, [pixels, w, h]);
  return <canvas ref={ref} width={w} height={h} data-testid={testId} role="img" aria-label={label} style={{ imageRendering: 'pixelated', ...css }} />;
}

const f3 = (v: number | null | undefined) => (v === null || v === undefined || !Number.isFinite(v) ? '–' : v.toFixed(3));

export function RiskBeforeAfter({ runs }: { runs: RiskRun[] }) {
  const [runKey, setRunKey] = useState(''), [sliceIdx, setSliceIdx] = useState(0);
  if (runs.length === 0) return null;
  const key = (r: RiskRun) => `${r.condition} s${r.seed}`;
  const run = runs.find((r) => key(r) === runKey) ?? runs[runs.length - 1];
  const s = run.slices[Math.min(sliceIdx, run.slices.length - 1)];
  const rk = run.risk;
  const scale = SIZE / Math.max(s?.w ?? 1, s?.h ?? 1);
  const css = s ? { width: s.w * scale, height: s.h * scale } : undefined;
  return (
    <section data-testid="lab-risk" aria-labelledby="lab-risk-title">
      <h3 id="lab-risk-title">Risk map before / after fine-tuning</h3>
      <p className="muted">
        Transfer risk R = 10<sup>Ĥ</sup> (pixel LEEP, min-max per slice) of the source model and of the fine-tuned model on the
        held-out slices; brighter = higher risk. Same scale for both.
      </p>
      {runs.length > 1 && (
        <label>Run <select data-testid="risk-run" value={key(run)} onChange={(e) => setRunKey(e.target.value)}>
          {runs.map((r) => <option key={key(r)} value={key(r)}>{key(r)}</option>)}
        </select></label>
      )}{' '}
      {run.slices.length > 0 && (
        <label>Held-out {run.slices[0].depth === undefined ? 'slice' : 'block (its middle slice)'} <select data-testid="risk-slice" value={Math.min(sliceIdx, run.slices.length - 1)} onChange={(e) => setSliceIdx(Number(e.target.value))}>
          {run.slices.map((x, i) => <option key={x.case} value={i}>{x.depth === undefined ? x.case : `${x.case}, slice ${x.depth}`}</option>)}
        </select></label>
      )}
      {s && (
        <div style={{ display: 'flex', gap: 12, alignItems: 'flex-end', flexWrap: 'wrap' }}>
          <figure style={{ margin: 0 }}>
            <PixelCanvas pixels={overlayPixels(s.image, s.before)} w={s.w} h={s.h} testId="risk-before" label={`risk before fine-tuning, slice ${s.case}`} css={css} />
            <figcaption>Before (source model)</figcaption>
          </figure>
          <figure style={{ margin: 0 }}>
            <PixelCanvas pixels={overlayPixels(s.image, s.after)} w={s.w} h={s.h} testId="risk-after" label={`risk after fine-tuning, slice ${s.case}`} css={css} />
            <figcaption>After ({key(run)})</figcaption>
          </figure>
          <figure style={{ margin: 0, display: 'flex', gap: 4 }}>
            <PixelCanvas pixels={colorBarPixels(1, 64)} w={1} h={64} testId="risk-colorbar" label={`colour bar, R from ${R_MIN} to ${R_MAX}`} css={{ width: 14, height: SIZE }} />
            <figcaption style={{ display: 'flex', flexDirection: 'column', justifyContent: 'space-between', height: SIZE }}>
              <span>{R_MAX}</span><span>{(R_MIN + R_MAX) / 2}</span><span>{R_MIN}</span>
            </figcaption>
          </figure>
        </div>
      )}
      <table data-testid="risk-means" data-mean-before={rk.meanBefore} data-mean-after={rk.meanAfter}
        data-foreground-before={rk.foregroundBefore ?? ''} data-foreground-after={rk.foregroundAfter ?? ''}>
        <thead><tr><th>Held-out pixels</th><th>mean R before → after</th><th>pixels</th></tr></thead>
        <tbody>
          {rk.perClass.pixels.map((n, k) => (
            <tr key={k} data-testid="risk-class" data-class={k} data-before={rk.perClass.before[k] ?? ''} data-after={rk.perClass.after[k] ?? ''}>
              <td>class {k}{k === 0 ? ' (background)' : ''}</td><td>{f3(rk.perClass.before[k])} → {f3(rk.perClass.after[k])}</td><td>{n}</td>
            </tr>
          ))}
          <tr><td>foreground</td><td>{f3(rk.foregroundBefore)} → {f3(rk.foregroundAfter)}</td><td /></tr>
          <tr><td>all</td><td>{f3(rk.meanBefore)} → {f3(rk.meanAfter)}</td><td /></tr>
          <tr><td>pixel LEEP (mean T, higher = easier)</td><td>{f3(rk.scoreBefore)} → {f3(rk.scoreAfter)}</td><td /></tr>
        </tbody>
      </table>
    </section>
  );
}
