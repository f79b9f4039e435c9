// NiiVue scene of the risk-map area (item 6; browser-stack §5): the target scan in grey, the model's transfer-risk
// map as a warm overlay with its colour bar, the label as a green outline, one 2-D view along the case axis.
import { useEffect, useRef, useState } from 'react';
import { Niivue, SLICE_TYPE } from '@niivue/niivue';

export interface RiskScene { image: { name: string; bytes: Uint8Array }; risk: Uint8Array; outline: Uint8Array; axis: 0 | 1 | 2; slice: number }

/** NiiVue view that shows planes across world axis x (R-L), y (A-P), z (S-I). */
const SLICE_OF_AXIS = [SLICE_TYPE.SAGITTAL, SLICE_TYPE.CORONAL, SLICE_TYPE.AXIAL];

export function RiskViewer({ scene }: { scene: RiskScene }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const nvRef = useRef<Niivue | null>(null);
  const [ready, setReady] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!canvas.current) return;
    const nv = new Niivue({ isColorbar: true, show3Dcrosshair: false, backColor: [0, 0, 0, 1], crosshairColor: [0.2, 0.8, 1, 0.6] });
    nvRef.current = nv;
    const urls = [scene.image.bytes, scene.risk, scene.outline].map((b) => URL.createObjectURL(new Blob([b as Uint8Array<ArrayBuffer>])));
    let alive = true;
    setReady(false);
    (async () => {
      await nv.attachToCanvas(canvas.current!);
      await nv.loadVolumes([
        { url: urls[0], name: scene.image.name.replace(/^.*\//, ''), colormap: 'gray', colorbarVisible: false },
        { url: urls[1], name: 'risk.nii', colormap: 'warm', opacity: 0.55, cal_min: 1, cal_max: 10 },
        { url: urls[2], name: 'outline.nii', colormap: 'green', opacity: 1, cal_min: 0.5, cal_max: 1, colorbarVisible: false },
      ]);
      if (!alive) return;
      // The 2-D view cuts across the case axis: the world (RAS) axis that voxel axis `scene.axis` runs along.
      const affine = nv.volumes[0].hdr?.affine;
      const col = affine ? [0, 1, 2].map((r) => Math.abs(affine[r][scene.axis])) : [0, 0, 1];
      nv.setSliceType(SLICE_OF_AXIS[col.indexOf(Math.max(...col))]);
      const vox = [0, 0, 0];
      const size = nv.volumes[0].dims!.slice(1, 4);
      for (let a = 0; a < 3; a++) vox[a] = a === scene.axis ? scene.slice : Math.floor(size[a] / 2);
      nv.scene.crosshairPos = nv.vox2frac(vox as never);
      nv.updateGLVolume();
      setReady(true);
    })().catch((e: unknown) => alive && setError((e as Error).message));
    return () => { alive = false; nv.cleanup?.(); urls.forEach((u) => URL.revokeObjectURL(u)); nvRef.current = null; };
  }, [scene]);
  const step = (d: number) => {
    const v = [0, 0, 0];
    v[scene.axis] = d;
    nvRef.current?.moveCrosshairInVox(v[0], v[1], v[2]);
  };
  return (
    <div className="risk-viewer" data-testid="risk-viewer" data-ready={ready ? 'true' : 'false'}>
      <canvas ref={canvas} width={480} height={400} />
      <p>
        <button type="button" data-testid="slice-prev" onClick={() => step(-1)}>◀ slice</button>{' '}
        <button type="button" data-testid="slice-next" onClick={() => step(1)}>slice ▶</button>
        <span className="muted"> Risk R = 10^H (1 = certain transfer, 10 = most uncertain); green = label outline.</span>
      </p>
      {error && <p className="error">{error}</p>}
    </div>
  );
}
