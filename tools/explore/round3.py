#!/usr/bin/python3
"""Third-round exploration (docs/estimators/hocs.md, "Third round"): every statistic tried on the four demo targets'
sampled decoder features before hocs_full was written down, with its weighted Kendall tau (scipy defaults, as the
product's harness) against the 10-seed mean fine-tuned Dice. Selection on the demo data, kept for the record; the
product's numbers come from src/core (HOCS here reproduces the product's HOCS tau exactly).
  npx tsx tools/explore/dumpFeatures.ts && /usr/bin/python3 tools/explore/round3.py   (from the repository root)
Not part of the product."""
import json

import numpy as np
from scipy.special import logsumexp
from scipy.stats import weightedtau

DICE = json.load(open('public/demo/finetune-dice.json'))['targets']


def load(target):
    """{model: {(stride, layer): [(x n×D float64, labels n), ... per case]}}"""
    idx = json.load(open(f'.scratch/explore/{target}.json'))
    blob = open(f'.scratch/explore/{target}.bin', 'rb').read()
    out = {}
    for e in idx:
        if 'probs' in e:
            continue
        x = np.frombuffer(blob, np.float32, e['n'] * e['ch'], e['xoff']).reshape(e['n'], e['ch']).astype(np.float64)
        y = np.frombuffer(blob, np.int32, e['n'], e['yoff'])
        out.setdefault(e['model'], {}).setdefault((e['stride'], e['layer']), []).append((x, y))
    return out


def effective_rank(x):
    s = np.linalg.svd(x - x.mean(0), compute_uv=False)
    p = s / s.sum()
    p = p[p > 0]
    return np.exp(-(p * np.log(p)).sum())


def participation_ratio(x):
    e = np.clip(np.linalg.eigvalsh(np.cov((x - x.mean(0)).T)), 0, None)
    return e.sum() ** 2 / (e ** 2).sum()


def fisher_trace(x, y, ridge=1e-3):
    """tr(S_w^-1 S_b), ridge relative to the mean within-class variance."""
    mu = x.mean(0)
    sw = np.zeros((x.shape[1],) * 2)
    sb = sw.copy()
    for k in np.unique(y):
        xk = x[y == k]
        m = xk.mean(0)
        sw += np.cov(xk.T) * (len(xk) - 1)
        sb += len(xk) * np.outer(m - mu, m - mu)
    sw /= len(x)
    sb /= len(x)
    return np.trace(np.linalg.solve(sw + ridge * np.trace(sw) / len(sw) * np.eye(len(sw)), sb))


def hocs_layer(cases, c, ridge=1e-6, diag=False):
    """Leave-one-case-out Gaussian posterior of the true class; shared covariance pooled over the fold's samples
    (the product's hocs_full averages the class covariances instead: the same on class-balanced samples up to the
    class sizes), relative ridge on the diagonal. diag=True reproduces the product's HOCS tau."""
    out = []
    for i in range(len(cases)):
        tr = [cs for j, cs in enumerate(cases) if j != i]
        x = np.vstack([a for a, _ in tr])
        y = np.concatenate([b for _, b in tr])
        ks = [k for k in range(c) if (y == k).sum() >= 2]
        mus = np.array([x[y == k].mean(0) for k in ks])
        r = np.vstack([x[y == k] - x[y == k].mean(0) for k in ks])
        s = r.T @ r / (len(r) - len(ks))
        if diag:
            s = np.diag(np.diag(s))
        p = np.linalg.inv(s + ridge * np.trace(s) / len(s) * np.eye(len(s)))
        xt, yt = cases[i]
        diff = xt[:, None, :] - mus[None]
        ll = -0.5 * np.einsum('nkd,de,nke->nk', diff, p, diff)
        lp = ll - logsumexp(ll, 1, keepdims=True)
        for kk, k in enumerate(ks):
            sel = yt == k
            if sel.any():
                out.append(np.exp(lp[sel, kk]).mean())
    return np.mean(out)


def main():
    res = {}
    for t in DICE:
        feats = load(t)
        models = [m for m in feats if m in DICE[t]]
        dice = np.array([DICE[t][m]['mean'] for m in models])
        stats = {}
        for m in models:
            layers = sorted(feats[m])   # finest (stride 1) first
            c = 1 + max(int(b.max()) for _, b in feats[m][layers[0]])
            full, diag, fisher = [], [], []
            for li, key in enumerate(layers):
                cases = feats[m][key]
                x = np.vstack([a for a, _ in cases])
                y = np.concatenate([b for _, b in cases])
                stats.setdefault(f'effective_rank_l{li}', []).append(effective_rank(x))
                stats.setdefault(f'effective_rank_fg_l{li}', []).append(effective_rank(x[y > 0]))
                stats.setdefault(f'participation_ratio_l{li}', []).append(participation_ratio(x))
                stats.setdefault(f'dead_share_l{li}', []).append(np.mean(np.all(x == 0, 0)))
                fisher.append(fisher_trace(x, y))
                full.append(hocs_layer(cases, c))
                diag.append(hocs_layer(cases, c, diag=True))
                stats.setdefault(f'hocs_full_l{li}', []).append(full[-1])
            stats.setdefault('fisher_logmean', []).append(np.mean(np.log(fisher)))
            stats.setdefault('hocs_full', []).append(np.mean(full))
            stats.setdefault('hocs (diagonal, = product)', []).append(np.mean(diag))
            for ridge in (1e-4, 1e-3, 1e-2, 1e-1):
                stats.setdefault(f'hocs_full ridge {ridge:g}', []).append(np.mean([hocs_layer(feats[m][k], c, ridge) for k in layers]))
        for k, v in stats.items():
            v = np.asarray(v, float)
            res.setdefault(k, {})[t] = np.nan if np.ptp(v) == 0 else weightedtau(v, dice)[0]
    print('%-30s' % 'statistic' + ''.join('%20s' % t for t in DICE) + '  average')
    for k in res:
        vals = [res[k][t] for t in DICE]
        print('%-30s' % k + ''.join('%20.2f' % v for v in vals) + '  %.2f' % np.nanmean(vals))


if __name__ == '__main__':
    main()
