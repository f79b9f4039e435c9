// Class consistency C_cons of one layer from the per-class sums S_k = Σ_{i<j} dist(F_i^k, F_j^k) over unordered
// case pairs (estimators-spec §2.4 official aggregation, §2.1 eq. 2 / §2.7 paper).

/**
 * Official `main.py` lines 45-60, quirk included: w = 0; for k = 1..K: w ← (w + S_k)·(1 + 2/(N²K)).
 * (The code meant to average over pairs but adds w/(N²/2)/K to the running total of all classes so far.)
 */
export function classConsistencyOfficial(pairSums: readonly number[], nCases: number): number {
  const k = pairSums.length;
  const factor = 1 + 2 / (nCases * nCases * k);
  let w = 0;
  for (const s of pairSums) w = (w + s) * factor;
  return w;
}

/**
 * Paper eq. 2: C_cons = 1/(N(N−1)) Σ_k Σ_{i≠j} d(F_i^k, F_j^k) = (2/(N(N−1))) Σ_k S_k for a symmetric d
 * (classes summed, not averaged). For an asymmetric d (KL), S_k must be Σ_{i<j} (d_ij + d_ji)/2.
 */
export function classConsistencyPaper(pairSums: readonly number[], nCases: number): number {
  let s = 0;
  for (const v of pairSums) s += v;
  return (2 * s) / (nCases * (nCases - 1));
}
