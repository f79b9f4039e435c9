// Plain-text rendering of a validation report (issue 7 item 1): per target and averaged, every estimator's τ,
// Pearson and top-1 regret with 95 % intervals, sorted by τ; the noise ceiling and the random-ranking τ.
import type { Interval } from './harness.ts';
import type { ValidationReport } from './fromReport.ts';

const num = (v: number | null | undefined, d = 2): string => (v === null || v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(d));
const iv = (x: Interval): string => `${num(x.value).padStart(5)} [${num(x.ci?.[0])}, ${num(x.ci?.[1])}]`;

function rows(est: Record<string, { weighted_kendall_tau: Interval; pearson: Interval; top1_regret: Interval }>, extra: (k: string) => string): string[] {
  const keys = Object.keys(est).sort((a, b) => (est[b].weighted_kendall_tau.value ?? -9) - (est[a].weighted_kendall_tau.value ?? -9));
  const head = `  ${'estimator'.padEnd(40)} ${'weighted τ [95%]'.padEnd(21)} ${'Pearson [95%]'.padEnd(21)} ${'top-1 regret [95%]'.padEnd(21)} ${extra('')}`;
  return [head, ...keys.map((k) => `  ${k.padEnd(40)} ${iv(est[k].weighted_kendall_tau).padEnd(21)} ${iv(est[k].pearson).padEnd(21)} ${iv(est[k].top1_regret).padEnd(21)} ${extra(k)}`)];
}

export function formatValidation(v: ValidationReport): string {
  const out: string[] = [];
  for (const s of v.studies) {
    out.push(`Target ${s.target}: ${s.n_models} models, ${s.n_seeds} fine-tuning seed(s), best fine-tuned model ${s.best_model}; bootstrap ${s.bootstrap.resamples}× over ${s.bootstrap.over.join(' + ')}`);
    out.push(`  noise ceiling τ ${iv(s.noise_ceiling)}   random-ranking τ 95th percentile ${num(s.random_tau_p95.value)} (${s.random_tau_p95.exact ? 'exact' : 'Monte Carlo'}, ${s.random_tau_p95.count} rankings)`);
    if (v.collapsed[s.target]?.length) out.push(`  collapsed features (diagnostics): ${v.collapsed[s.target].join(', ')}`);
    out.push(...rows(s.estimators, (k) => (k ? s.estimators[k].recommended : 'recommends')), '');
  }
  const a = v.average;
  out.push(`Average over ${a.targets.length} target(s) (${a.targets.join(', ')})`);
  out.push(`  noise ceiling τ ${iv(a.noise_ceiling)}   random-ranking τ 95th percentile of the average ${num(a.random_tau_p95)}`);
  out.push(...rows(a.estimators, (k) => (k ? String(a.estimators[k].n_targets) : 'targets')), '');
  const l = v.own_estimator.loto;
  out.push('Own estimator, leave-one-target-out (chosen on the other targets by mean τ, reported on the held-out one):');
  for (const f of l.folds) out.push(`  held out ${f.held_out.padEnd(28)} chosen ${f.chosen.padEnd(40)} train τ ${num(f.train_tau)}  held-out τ ${num(f.held_out_tau)}`);
  out.push(`  mean held-out τ ${num(l.mean_held_out_tau)}`, '');
  for (const c of v.comparisons) {
    out.push(`Δτ = τ(${c.a}) − τ(${c.b}): average ${iv(c.average)}; higher on ${c.wins}/${c.targets} targets, interval above 0 on ${c.clear_wins}/${c.targets}`);
    out.push(`  ${Object.entries(c.per_target).map(([t, x]) => `${t} ${iv(x).trim()}`).join('; ')}`);
  }
  return out.join('\n') + '\n';
}
