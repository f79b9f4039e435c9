// The Risk-map area (item 6): computes the selected model's transfer-risk map on the target's case slices in the
// tools worker, shows it in NiiVue (lazy chunk) over the scan with the label outline, lists the per-class mean
// risk, and exports the map as NIfTI on the scan's grid.
import { useEffect, useState } from 'react';
import { useAppStore } from '../../state/store.ts';
import { fileCache } from '../../state/fileCache.ts';
import { toolsWorker } from '../../workers.ts';
import { rankingRows } from '../ranking/rankingRows.ts';
import { RiskViewer, type RiskScene } from './RiskViewer.tsx';
import { download } from '../export/download.ts';

interface RiskResult { modelId: string; scene: RiskScene; meanRiskPerClass: number[]; pixelLeep: number; slices: number[] }

export default function RiskMapPanel() {
  const report = useAppStore((s) => s.report)!;
  const target = useAppStore((s) => s.targets.find((t) => t.id === s.report?.target));
  const models = useAppStore((s) => s.models);
  const best = rankingRows(report, 'ccfv_official')[0]?.id ?? report.models[0].id;
  const [modelId, setModelId] = useState(best);
  const [result, setResult] = useState<RiskResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    const m = models.find((x) => x.id === modelId);
    if (!target || !m?.manifest) return;
    let alive = true;
    const slices = target.sliceIndices ?? report.cases.flatMap((c) => c.slices);
    setBusy(true);
    setError(null);
    const image = fileCache.copy(`target-image:${target.id}`);
    void toolsWorker().riskMap(image, fileCache.copy(`target-label:${target.id}`), fileCache.copy(`model:${m.id}`)[0], m.manifest, target.axis, slices).then((r) => {
      if (!alive) return;
      setBusy(false);
      if (!r.ok) { setError(r.error.message); return; }
      const mid = r.slices[Math.floor(r.slices.length / 2)];
      setResult({ modelId: m.id, meanRiskPerClass: r.meanRiskPerClass, pixelLeep: r.pixelLeep, slices: r.slices, scene: { image: fileCache.get(`target-image:${target.id}`)![0], risk: r.riskNifti, outline: r.outlineNifti, axis: target.axis, slice: mid } });
    });
    return () => { alive = false; };
  }, [modelId, target, models, report.cases]);
  return (
    <section className="panel" id="risk-map" aria-labelledby="risk-title" data-testid="risk-map" data-model-id={result?.modelId ?? ''}>
      <h2 id="risk-title">6. Transfer-risk map</h2>
      <label>Model <select data-testid="risk-model" value={modelId} onChange={(e) => setModelId(e.target.value)}>{report.models.map((m) => <option key={m.id}>{m.id}</option>)}</select></label>
      {busy && <span className="muted"> computing the risk map in a worker…</span>}
      {error && <p className="error">{error}</p>}
      {result && (
        <div className="risk">
          <RiskViewer scene={result.scene} />
          <div>
            <table className="small" data-testid="risk-table">
              <thead><tr><th>Class</th><th>Mean risk</th></tr></thead>
              <tbody>{result.meanRiskPerClass.map((v, k) => <tr key={k} data-testid="risk-class" data-value={Number.isFinite(v) ? v : ''}><td>{report.classes[k] ?? k}</td><td className="num">{Number.isFinite(v) ? v.toFixed(3) : '—'}</td></tr>)}</tbody>
            </table>
            <p className="muted">Pixel LEEP over {result.slices.length} slices: {result.pixelLeep.toFixed(4)}</p>
            <button type="button" data-testid="export-risk-nifti" onClick={() => download(result.scene.risk, `${report.target}_${result.modelId}_risk.nii`, 'application/octet-stream')}>Export risk map (NIfTI)</button>
          </div>
        </div>
      )}
    </section>
  );
}
