#!/usr/bin/python3
"""PyTorch side of bench/finetuneSideBySide.ts (issue 8): CPU, ONE thread, per-step wall and CPU seconds of the demo
U-Net (tools/bank/unet.py, weights copied from the ONNX file by initialiser name) on the slices and batches the TS
side wrote (so the first step's loss can be compared with tfjs's: same network, same batch).

Usage: /usr/bin/python3 bench/torchFinetuneSteps.py CONFIG.json
CONFIG: {model: ONNX path, images: float32 file, labels: int32 file, n, h, w, batch, eta, batches: [[case…]…],
meta_batches: [[case…]…]} — the trainer's own batch sequences (batchSampler seeds 0 and 1), used in turn
Then one command per stdin line, one JSON answer per stdout line (the process stays up, so the caller can
interleave it with the other runtimes):
  "plain K"  — K plain steps: Adam (lr 1e-3), CE, train-mode BatchNorm (as the trainer's method 'plain')
  "metalr K" — K MetaLR steps, paper rule (src/core/finetune/metalr.ts, the trainer's method 'metalr'): SGD with
               per-group LRs (1e-3, head 1e-2), look-ahead θ̂ = θ − α_j g, validation CE at θ̂ on a meta batch,
               d_j = ⟨∇_j L_val(θ̂), g_j⟩, α_j ← max(α_j + η d_j, 1e-6), then θ ← θ − α_j g
  "quit"
Answer: {"kind", "wall": [s…], "cpu": [s…], "loss": [...]}. Each model (plain, MetaLR) is loaded once and warmed
up with one step before "ready" is printed (with that step's loss)."""
import json
import os
import sys
import time

os.environ.setdefault('OMP_NUM_THREADS', '1')
import numpy as np  # noqa: E402
import onnx  # noqa: E402
from onnx import numpy_helper  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from torch.nn.utils.stateless import functional_call  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'tools', 'bank'))
from unet import UNet  # noqa: E402

torch.set_num_threads(1)
torch.set_num_interop_threads(1)

cfg = json.load(open(sys.argv[1]))
n, h, w, B = cfg['n'], cfg['h'], cfg['w'], cfg['batch']
images = torch.from_numpy(np.fromfile(cfg['images'], '<f4').reshape(n, 1, h, w).copy())
labels = torch.from_numpy(np.fromfile(cfg['labels'], '<i4').reshape(n, h, w).astype(np.int64))
sd = {i.name: torch.from_numpy(numpy_helper.to_array(i).copy()) for i in onnx.load(cfg['model']).graph.initializer}


def load():
    net = UNet(1, sd['head.weight'].shape[0], sd['enc.0.net.0.weight'].shape[0], 2)
    r = net.load_state_dict(sd, strict=False)
    assert not [k for k in r.missing_keys if not k.endswith('num_batches_tracked')], r
    return net.train()


def group_of(name):
    """src/core/finetune/layerGroups.ts defaultGroupOf: 'enc.0.net.0.weight' → 'enc.0', 'head.weight' → 'head'."""
    p = name.split('.')
    return f'{p[0]}.{p[1]}' if len(p) > 2 and p[1].isdigit() else p[0]


def batches(seq):
    k = [0]

    def nxt():
        idx = seq[k[0] % len(seq)]
        k[0] += 1
        return images[idx], labels[idx]
    return nxt


plain_net = load()
adam = torch.optim.Adam(plain_net.parameters(), 1e-3)
plain_batch = batches(cfg['batches'])


def plain_step():
    x, y = plain_batch()
    adam.zero_grad()
    loss = F.cross_entropy(plain_net(x)[0], y)
    loss.backward()
    adam.step()
    return float(loss)


meta_net = load()
names = [nm for nm, _ in meta_net.named_parameters()]
groups = sorted({group_of(nm) for nm in names})
lrs = {g: (1e-2 if g == 'head' else 1e-3) for g in groups}
meta_train, meta_val = batches(cfg['batches']), batches(cfg['meta_batches'])


def metalr_step():
    x, y = meta_train()
    xv, yv = meta_val()
    p = dict(meta_net.named_parameters())
    loss = F.cross_entropy(meta_net(x)[0], y)
    g = torch.autograd.grad(loss, [p[nm] for nm in names])
    look = {nm: (p[nm] - lrs[group_of(nm)] * gi).detach().requires_grad_(True) for nm, gi in zip(names, g)}
    # Buffers copied: the look-ahead forward must not update the running statistics a second time.
    bufs = {k: b.clone() for k, b in meta_net.named_buffers()}
    vloss = F.cross_entropy(functional_call(meta_net, {**look, **bufs}, (xv,))[0], yv)
    gv = torch.autograd.grad(vloss, [look[nm] for nm in names])
    dots = {gr: 0.0 for gr in groups}
    for nm, a, b in zip(names, gv, g):
        dots[group_of(nm)] += float((a * b).sum())
    for gr in groups:
        lrs[gr] = max(lrs[gr] + cfg['eta'] * dots[gr], 1e-6)
    with torch.no_grad():
        for nm, gi in zip(names, g):
            p[nm].sub_(lrs[group_of(nm)] * gi)
    return float(loss)


steps = {'plain': plain_step, 'metalr': metalr_step}
first = {k: f() for k, f in steps.items()}  # warm-up (allocator, Adam state); the loss at the ONNX weights
print(json.dumps({'ready': True, 'torch': torch.__version__, 'threads': torch.get_num_threads(),
                  'interop_threads': torch.get_num_interop_threads(), 'first_loss': first}), flush=True)
for line in sys.stdin:
    parts = line.split()
    if not parts or parts[0] == 'quit':
        break
    kind, k = parts[0], int(parts[1])
    wall, cpu, losses = [], [], []
    for _ in range(k):
        t0, c0 = time.perf_counter(), time.process_time()
        losses.append(steps[kind]())
        wall.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    print(json.dumps({'kind': kind, 'wall': wall, 'cpu': cpu, 'loss': losses}), flush=True)
