#!/usr/bin/python3
"""Exploration after the third round (docs/estimators/hocs.md, "After the third round"): gradient-at-initialisation
scores of every 2-D source on all 11 targets (PyTorch, the bank checkpoints, head replaced as the fine-tuning protocol
does, 2 head seeds), their weighted tau against the 10-seed Dice. Not part of the product (no ONNX gradients there).
  /usr/bin/python3 tools/explore/gradient_probe.py   (from the repository root; needs tools/bank/.cache: prep.py, ckpt_from_onnx.py)
L0 = -(mean per-slice loss at init); sgd = leave-one-slice-out first-order loss decrease g_j . mean(g_-j); adam = g_j . sign(mean(g_-j));
cos = cosine(g_j, mean(g_-j)) (gradient coherence); adam_rel = adam / mean loss."""
import json, os, sys, time
sys.path.insert(0, 'tools/bank')
import numpy as np, torch
from scipy.stats import weightedtau
from common import CACHE, CKPT, BASE, load_task, SOURCES
from unet import UNet, loss_fn
torch.set_num_threads(2)
groups = {'demo': 'public/demo/targets', 'holdout': 'tools/bank/holdout', 'fresh': 'tools/bank/fresh'}
dice_files = {'demo': 'public/demo/finetune-dice.json', 'holdout': 'tools/bank/holdout/finetune-dice.json', 'fresh': 'tools/bank/fresh/finetune-dice.json'}
out = {}
for g, tdir in groups.items():
    D = json.load(open(dice_files[g]))['targets']
    for t in D:
        d, meta = load_task(t)
        tj = json.load(open(os.path.join(tdir, t, 'target.json')))
        z = list(d['z']); tr = [z.index(k) for k in tj['train_slices']]
        X = torch.from_numpy(d['X'][tr]); Y = torch.from_numpy(d['Y'][tr].astype(np.int64)); ncls = meta['num_classes']
        res = {}
        for m in SOURCES:
            src = json.load(open(os.path.join(CACHE, 'tasks', m + '.json')))
            S = {}
            for seed in range(2):
                torch.manual_seed(1000 + seed)
                model = UNet(1, src['num_classes'], BASE, 2)
                model.load_state_dict(torch.load(os.path.join(CKPT, m + '.pt')))
                kept = src['num_classes'] == ncls
                if not kept: model.replace_head(ncls)
                model.train()
                logits = model(X)[0]
                params = [p for p in model.parameters()]
                G = []; L = []
                for j in range(len(tr)):
                    lj = loss_fn(logits[j:j+1], Y[j:j+1], ncls)
                    gj = torch.autograd.grad(lj, params, retain_graph=True)
                    G.append(torch.cat([x.reshape(-1) for x in gj]).detach().numpy().astype(np.float64)); L.append(float(lj))
                G = np.array(G); tot = G.sum(0); n = len(G)
                sgd = []; adam = []; cos = []
                for j in range(n):
                    o = (tot - G[j]) / (n - 1)
                    sgd.append(G[j] @ o); adam.append(G[j] @ np.sign(o)); cos.append(G[j] @ o / (np.linalg.norm(G[j]) * np.linalg.norm(o) + 1e-30))
                for k, v in [('L0', -np.mean(L)), ('sgd', np.mean(sgd)), ('adam', np.mean(adam)), ('cos', np.mean(cos)), ('adam_rel', np.mean(adam) / np.mean(L))]:
                    S.setdefault(k, []).append(v)
                if kept: break
            res[m] = {k: float(np.mean(v)) for k, v in S.items()}
        ms = [m for m in SOURCES if m in D[t]]
        dice = np.array([D[t][m]['mean'] for m in ms])
        out[t] = {k: weightedtau(np.array([res[m][k] for m in ms]), dice)[0] for k in res[ms[0]]}
        print(g, t, {k: round(v, 2) for k, v in out[t].items()}, flush=True)
keys = list(next(iter(out.values())))
print('avg', {k: round(float(np.mean([out[t][k] for t in out])), 2) for k in keys})
