// Collapse diagnostics per model and layer (issue 7 item 3; field observation of estimators-spec §14): do the
// target's foreground features collapse (tiny spread, dead channels, no separation, a source head finding nothing)?

/** One layer's sampled features per case (n × channels, row-major) and their target classes. */
export interface DiagLayer { name: string; stride: number; channels: number; cases: { features: Float64Array; labels: Int32Array }[] }
export interface DiagInput {
  layers: DiagLayer[];
  /** Source softmax (n × numSourceClasses) per case at the samples of the finest layer. */
  sourceProbs: Float64Array[];
  numSourceClasses: number;
  /** Target classes (background 0 included). */
  numClasses: number;
}

export interface LayerDiagnostics {
  layer: string;
  /** tr Σ_fg / tr Σ_bg (ddof 1; foreground = every class ≥ 1 pooled over cases); null when undefined. */
  fg_bg_trace_ratio: number | null;
  /** Share of channels that are exactly zero on every sampled voxel. */
  dead_channel_share: number;
  /** ‖μ_fg − μ_bg‖ / sqrt((tr Σ_fg + tr Σ_bg)/2): mean distance in pooled-spread units; null when undefined. */
  fg_bg_distance: number | null;
}

export interface ModelDiagnostics {
  layers: LayerDiagnostics[];
  /** Mean over target foreground classes of the source head's Dice on the sampled voxels (mapping below). */
  source_head_dice: number | null;
  /** Target class → the source foreground class (argmax ≠ 0) with the highest sampled-voxel Dice. */
  source_head_mapping: { target_class: number; source_class: number; dice: number }[];
  collapsed: boolean;
  /** The warning signs that hold (plain language), whether or not they make the model `collapsed`. */
  reasons: string[];
}

/** Thresholds of the collapse rule (docs/estimators/hocs.md §Diagnostics). */
export const COLLAPSE_RULE = { distance: 1, severeDistance: 0.5, traceRatio: 0.1, deadShare: 0.5, headDice: 0.1 };

const fin = (v: number): number | null => (Number.isFinite(v) ? v : null);

export function layerDiagnostics(l: DiagLayer): LayerDiagnostics {
  const d = l.channels;
  const n = [0, 0], sum = [new Float64Array(d), new Float64Array(d)], sq = [new Float64Array(d), new Float64Array(d)];
  const alive = new Uint8Array(d);
  for (const c of l.cases) {
    for (let r = 0; r < c.labels.length; r++) {
      const g = c.labels[r] > 0 ? 1 : 0;
      n[g]++;
      for (let j = 0; j < d; j++) {
        const v = c.features[r * d + j];
        if (v !== 0) alive[j] = 1;
        sum[g][j] += v;
        sq[g][j] += v * v;
      }
    }
  }
  let tr0 = 0, tr1 = 0, dist2 = 0;
  for (let j = 0; j < d; j++) {
    const m0 = sum[0][j] / n[0], m1 = sum[1][j] / n[1];
    tr0 += Math.max(0, (sq[0][j] - n[0] * m0 * m0) / (n[0] - 1));
    tr1 += Math.max(0, (sq[1][j] - n[1] * m1 * m1) / (n[1] - 1));
    dist2 += (m1 - m0) ** 2;
  }
  const enough = n[0] >= 2 && n[1] >= 2;
  return {
    layer: l.name,
    fg_bg_trace_ratio: enough && tr0 > 0 ? fin(tr1 / tr0) : null,
    dead_channel_share: d ? (d - alive.reduce((a, b) => a + b, 0)) / d : 0,
    fg_bg_distance: enough && tr0 + tr1 > 0 ? fin(Math.sqrt(dist2 / ((tr0 + tr1) / 2))) : null,
  };
}

/** Source head Dice on the sampled voxels of the finest layer, each target class mapped to its best source class. */
export function sourceHeadDice(finest: DiagLayer, probs: Float64Array[], ks: number, numClasses: number): Pick<ModelDiagnostics, 'source_head_dice' | 'source_head_mapping'> {
  const inter = Array.from({ length: numClasses }, () => new Float64Array(ks));
  const pred = new Float64Array(ks), truth = new Float64Array(numClasses);
  finest.cases.forEach((c, i) => {
    for (let r = 0; r < c.labels.length; r++) {
      let a = 0;
      for (let s = 1; s < ks; s++) if (probs[i][r * ks + s] > probs[i][r * ks + a]) a = s;
      pred[a]++;
      truth[c.labels[r]]++;
      inter[c.labels[r]][a]++;
    }
  });
  const mapping: ModelDiagnostics['source_head_mapping'] = [];
  for (let t = 1; t < numClasses; t++) {
    if (!truth[t]) continue;
    let best = { target_class: t, source_class: -1, dice: 0 };
    for (let s = 1; s < ks; s++) {
      const dice = (2 * inter[t][s]) / (pred[s] + truth[t]);
      if (best.source_class < 0 || dice > best.dice) best = { target_class: t, source_class: s, dice };
    }
    if (best.source_class >= 0) mapping.push(best);
  }
  const mean = mapping.length ? mapping.reduce((a, m) => a + m.dice, 0) / mapping.length : NaN;
  return { source_head_dice: fin(mean), source_head_mapping: mapping };
}

/**
 * Collapse rule, on the finest layer (the pooled baselines' layer) and the source head: the warning signs are
 * distance < 1, trace ratio < 0.1, dead share ≥ 0.5 and head Dice < 0.1. Collapse means the foreground cannot be
 * told from the background, so the distance gates it: `collapsed` when distance < 0.5, or distance < 1 together
 * with at least one other sign. A tight foreground far from the background (small trace ratio, large distance) is
 * listed in `reasons` but is not collapse.
 */
export function collapseDiagnostics(x: DiagInput): ModelDiagnostics {
  const layers = x.layers.map(layerDiagnostics);
  const fi = x.layers.reduce((b, l, i, all) => (l.stride < all[b].stride ? i : b), 0);
  const head = x.numSourceClasses >= 2 && x.sourceProbs.length === x.layers[fi].cases.length
    ? sourceHeadDice(x.layers[fi], x.sourceProbs, x.numSourceClasses, x.numClasses) : { source_head_dice: null, source_head_mapping: [] };
  const f = layers[fi], R = COLLAPSE_RULE, reasons: string[] = [];
  const pct = (v: number) => `${(100 * v).toFixed(v < 0.01 ? 2 : 0)}%`;
  if (f.fg_bg_distance !== null && f.fg_bg_distance < R.distance) reasons.push(`layer ${f.layer}: foreground and background means are only ${f.fg_bg_distance.toPrecision(2)} pooled spreads apart (< ${R.distance})`);
  if (f.fg_bg_trace_ratio !== null && f.fg_bg_trace_ratio < R.traceRatio) reasons.push(`layer ${f.layer}: the foreground's feature spread is ${pct(f.fg_bg_trace_ratio)} of the background's (< ${pct(R.traceRatio)})`);
  if (f.dead_channel_share >= R.deadShare) reasons.push(`layer ${f.layer}: ${pct(f.dead_channel_share)} of the channels are zero on every sampled voxel (≥ ${pct(R.deadShare)})`);
  if (head.source_head_dice !== null && head.source_head_dice < R.headDice) reasons.push(`the source model's own output finds almost none of the target (best-matching class Dice ${head.source_head_dice.toFixed(2)} < ${R.headDice})`);
  const dist = f.fg_bg_distance ?? Infinity;
  return { layers, ...head, collapsed: dist < R.severeDistance || (dist < R.distance && reasons.length >= 2), reasons };
}
