// Leave-one-target-out selection of TransferLens's own estimator (issue 7 item 4): for each fold a candidate is
// chosen by its mean weighted τ on the other targets and reported on the held-out one. Protocol: docs/estimators/hocs.md.

export interface LotoFold {
  held_out: string;
  chosen: string;
  /** Mean τ of the chosen candidate on the training targets. */
  train_tau: number;
  held_out_tau: number | null;
}

export interface LotoResult { folds: LotoFold[]; mean_held_out_tau: number | null }

/**
 * tau[candidate][target] = weighted τ on that target (null/NaN: not available). Candidates are tried in the
 * given order; ties on the training mean keep the earlier one (list simpler candidates first). A candidate
 * missing on a training target is not eligible in that fold.
 */
export function leaveOneTargetOut(tau: Record<string, Record<string, number | null>>, candidates: string[], targets: string[]): LotoResult {
  const ok = (v: number | null | undefined): v is number => v !== null && v !== undefined && Number.isFinite(v);
  const folds: LotoFold[] = [];
  for (const held of targets) {
    const train = targets.filter((t) => t !== held);
    let chosen = '', best = -Infinity;
    for (const c of candidates) {
      const v = train.map((t) => tau[c]?.[t]);
      if (train.length === 0 || !v.every(ok)) continue;
      const m = (v as number[]).reduce((a, b) => a + b, 0) / v.length;
      if (m > best) { best = m; chosen = c; }
    }
    if (!chosen) continue;
    const h = tau[chosen]?.[held];
    folds.push({ held_out: held, chosen, train_tau: best, held_out_tau: ok(h) ? h : null });
  }
  const heldVals = folds.map((f) => f.held_out_tau);
  const mean = heldVals.length && heldVals.every(ok) ? (heldVals as number[]).reduce((a, b) => a + b, 0) / heldVals.length : null;
  return { folds, mean_held_out_tau: mean };
}
