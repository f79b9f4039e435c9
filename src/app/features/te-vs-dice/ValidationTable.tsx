// The validation table beside the TE-vs-Dice scatter (issue 7): every estimator's weighted τ and Pearson against
// fine-tuned Dice with 95 % intervals over seeds and cases, the default estimator first; the ground truth's noise
// ceiling, the random-ranking 95th percentile, the default's top-1 regret and a one-sentence reading. Values come
// from the tools worker (core studyValidationTable, the CLI's `validate`); this file only lays them out.
import type { Interval } from '../../../core/validation/harness.ts';
import type { ValidationState } from './useValidationTable.ts';

const f = (v: number | null | undefined, d = 2): string => (v === null || v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(d));
const ci = (x: Interval, show: boolean): string => (show && x.ci ? ` [${f(x.ci[0])}, ${f(x.ci[1])}]` : '');
// Long estimator keys wrap after their underscores; numbers with their interval stay on one line; rows scroll past ~14.
const NAME = { overflowWrap: 'anywhere' } as const;
const LEFT = { textAlign: 'left' } as const;
const breakable = (key: string) => key.split('_').flatMap((part, i, all) => (i < all.length - 1 ? [`${part}_`, <wbr key={i} />] : [part]));
const NUM = { whiteSpace: 'nowrap' } as const;
const SELECTED = { background: 'var(--accent-soft)' } as const;
const SCROLL = { maxHeight: '30rem', overflowY: 'auto' } as const;
const SMALL = { fontSize: '0.8rem' } as const;

export function ValidationTable({ state, selected, onPick }: { state: ValidationState; selected: string; onPick: (key: string) => void }) {
  if (state.status === 'none') return null;
  if (state.status === 'running') {
    return (
      <div data-testid="validation-busy" role="status">
        <progress aria-label="Validating against fine-tuned Dice" /> <span className="muted">Validating every estimator against the fine-tuned Dice (200 bootstrap resamples over seeds and cases)…</span>
      </div>
    );
  }
  if (state.status === 'error') return <p className="notice" data-testid="validation-error">Validation failed: {state.message}</p>;
  const t = state.table;
  if (!t) return <p className="muted" data-testid="validation-none">Fewer than 3 models have fine-tuned Dice: no validation table.</p>;
  const show = t.resampled.length > 0;
  const over = t.resampled.join(' + ');
  return (
    <div data-testid="validation">
      <h3>Validation <span className="muted">· target {t.target}</span></h3>
      <p data-testid="validation-reading">{t.reading}</p>
      <ul className="muted">
        <li data-testid="validation-ceiling" data-value={t.noise_ceiling.value ?? ''} data-ci={t.noise_ceiling.ci?.join(',') ?? ''}>
          Noise ceiling (τ of one fine-tuning seed vs the mean of the others): {t.seeds_available ? <strong>{f(t.noise_ceiling.value)}{ci(t.noise_ceiling, true)}</strong> : <strong>unavailable: one fine-tuning seed per model</strong>}
        </li>
        <li data-testid="validation-random" data-value={t.random_tau_p95.value ?? ''}>
          A random ranking reaches τ ≥ <strong>{f(t.random_tau_p95.value)}</strong> one time in 20 ({t.random_tau_p95.exact ? `exact, all ${t.random_tau_p95.count} rankings` : `${t.random_tau_p95.count} random rankings`})
        </li>
        <li data-testid="validation-regret" data-value={t.default_regret?.value ?? ''}>
          Top-1 regret of the default estimator (best fine-tuned Dice minus the Dice of its top model): <strong>{t.default_regret ? `${f(t.default_regret.value, 3)}${t.default_regret.ci && show ? ` [${f(t.default_regret.ci[0], 3)}, ${f(t.default_regret.ci[1], 3)}]` : ''}` : '—'}</strong>
        </li>
      </ul>
      <div style={SCROLL}>
        <table className="small" style={SMALL} data-testid="validation-table" data-default={t.default_estimator}>
          <thead><tr><th>Estimator</th><th style={NUM}>weighted τ [95 %]</th><th style={NUM}>Pearson [95 %]</th></tr></thead>
          <tbody>
            {t.rows.map((r) => (
              <tr key={r.key} data-testid="validation-row" data-key={r.key} data-default={r.is_default ? 'true' : undefined} data-tau={r.weighted_kendall_tau.value ?? ''}
                data-tau-ci={r.weighted_kendall_tau.ci?.join(',') ?? ''} aria-selected={r.key === selected} onClick={() => onPick(r.key)} style={r.key === selected ? SELECTED : undefined}>
                <td style={NAME}><button type="button" className="linkish" style={LEFT} title="show in the scatter">{breakable(r.key)}</button>{r.is_default && <span className="badge" title="the product's default estimator (the recommendation's)">default</span>}</td>
                <td className="num" style={NUM}>{f(r.weighted_kendall_tau.value)}{ci(r.weighted_kendall_tau, show)}</td>
                <td className="num" style={NUM}>{f(r.pearson.value)}{ci(r.pearson, show)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="muted" data-testid="validation-note">
        {t.n_models} models, {t.n_seeds} fine-tuning seed(s) each; best fine-tuned model {t.best_model}.{' '}
        {show ? `Intervals: ${t.resamples} bootstrap resamples over ${over}${t.seeds_available ? '' : ' (one seed per model: no seed resampling)'}.` : 'No intervals: one seed per model and no case replicates in this study, so nothing can be resampled.'}{' '}
        Same numbers as <code>transferlens validate --report … --dice … --json</code>.
      </p>
    </div>
  );
}
