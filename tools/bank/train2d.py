#!/usr/bin/python3
"""Train one 2-D source model, time-budgeted, 1 thread.
Usage: /usr/bin/python3 tools/bank/train2d.py <task_id> [seconds=240] [--force]
Budget: `seconds` of wall time, extended to at least 100 iterations (capped at 1.5 x seconds).
Writes .cache/ckpt/<task>.pt and .cache/ckpt/<task>.json (iterations, seconds, s/iteration, validation Dice).
Skips the task when its .json exists (resumable)."""
import json
import os
import sys
import time

import numpy as np

from common import BASE, CKPT, dice_pooled, load_task, mean_dice, set_threads, write_json

torch = set_threads()
from unet import UNet, loss_fn  # noqa: E402

BATCH = 16
MIN_ITERS = 100
LR = 1e-3


def augment(x, rng):
    """Light intensity + left-right flip augmentation (numpy, per batch element)."""
    x = x.copy()
    for b in range(len(x)):
        g = np.exp(rng.uniform(-0.25, 0.25))
        x[b] = np.clip(x[b], 0, 1) ** g * rng.uniform(0.9, 1.1) + rng.uniform(-0.05, 0.05)
    return x


def predict(model, X, bs=16):
    model.eval()
    out = []
    with torch.no_grad():
        for i in range(0, len(X), bs):
            out.append(model(torch.from_numpy(X[i:i + bs]))[0].argmax(1).numpy())
    return np.concatenate(out).astype(np.uint8)


def main():
    task = sys.argv[1]
    secs = float(sys.argv[2]) if len(sys.argv) > 2 and not sys.argv[2].startswith('--') else 240.0
    os.makedirs(CKPT, exist_ok=True)
    out_json = os.path.join(CKPT, task + '.json')
    if os.path.exists(out_json) and '--force' not in sys.argv:
        print('skip', task, '(trained)')
        return
    d, meta = load_task(task)
    X, Y, split = d['X'], d['Y'].astype(np.int64), d['split']
    ncls = meta['num_classes']
    tr = np.nonzero(split == 'train')[0]
    va = np.nonzero(split == 'val')[0]
    torch.manual_seed(0)
    rng = np.random.default_rng(0)
    model = UNet(1, ncls, BASE, 2)
    opt = torch.optim.Adam(model.parameters(), lr=LR)
    t0 = time.time()
    it = 0
    losses = []
    # time budget `secs`, but at least MIN_ITERS iterations (contended machine), hard cap 1.5 x secs
    while (time.time() - t0 < secs or it < MIN_ITERS) and time.time() - t0 < 1.5 * secs:
        model.train()
        b = rng.choice(tr, BATCH, replace=len(tr) < BATCH)
        x = augment(X[b], rng)
        y = Y[b]
        flip = rng.random(BATCH) < 0.5
        x[flip] = x[flip][..., ::-1]
        y[flip] = y[flip][..., ::-1]
        xt = torch.from_numpy(np.ascontiguousarray(x, dtype=np.float32))
        yt = torch.from_numpy(np.ascontiguousarray(y))
        loss = loss_fn(model(xt)[0], yt, ncls)
        opt.zero_grad()
        loss.backward()
        opt.step()
        it += 1
        losses.append(float(loss))
        if it % 25 == 0:
            print(f'{task} it {it} loss {np.mean(losses[-25:]):.4f} {(time.time() - t0) / it:.2f} s/it', flush=True)
    train_s = time.time() - t0
    pv = predict(model, X[va])
    dv = dice_pooled(pv, Y[va], ncls)
    pt = predict(model, X[np.nonzero(split == 'test')[0]])
    dt = dice_pooled(pt, Y[np.nonzero(split == 'test')[0]], ncls)
    torch.save(model.state_dict(), os.path.join(CKPT, task + '.pt'))
    res = dict(task=task, iterations=it, seconds=round(train_s, 1), s_per_iteration=round(train_s / it, 3),
               batch=BATCH, lr=LR, optimizer='Adam', loss='cross-entropy + soft Dice (foreground classes)',
               augmentation='random gamma exp(U(-.25,.25)), scale U(.9,1.1), shift U(-.05,.05), left-right flip p=.5',
               final_loss=float(np.mean(losses[-25:])), n_train=int(len(tr)), n_val=int(len(va)),
               val_dice_per_class=dv, val_dice_mean=mean_dice(dv),
               test_dice_per_class=dt, test_dice_mean=mean_dice(dt), seed=0, threads=torch.get_num_threads())
    write_json(out_json, res)
    print(json.dumps(res), flush=True)


if __name__ == '__main__':
    main()
