#!/usr/bin/python3
"""Train the 3-D CT U-Net (base 8, 64^3 patches, batch 1, 1 thread) for the sliding-window demo.
Usage: /usr/bin/python3 tools/bank/train3d.py [seconds=420] [--force]
Only one CT volume exists, so the Dice reported is on that (training) volume, by sliding-window inference."""
import json
import os
import sys
import time

import numpy as np

from common import BASE, CKPT, MODEL3D, TASKS, dice_pooled, mean_dice, set_threads, write_json

torch = set_threads()
from unet import UNet, loss_fn  # noqa: E402

P = 64


def sliding_window(model, X, ncls, step=32):
    """X [D,H,W] -> label [D,H,W]; 64^3 windows at 50 % overlap, logits averaged. Pads to >= 64."""
    D, H, W = X.shape
    pad = [(0, max(0, P - s)) for s in X.shape]
    Xp = np.pad(X, pad)
    acc = np.zeros((ncls,) + Xp.shape, np.float32)
    cnt = np.zeros(Xp.shape, np.float32)

    def starts(n):
        s = list(range(0, n - P + 1, step))
        if s[-1] != n - P:
            s.append(n - P)
        return s
    model.eval()
    with torch.no_grad():
        for z in starts(Xp.shape[0]):
            for y in starts(Xp.shape[1]):
                for x in starts(Xp.shape[2]):
                    t = torch.from_numpy(Xp[None, None, z:z + P, y:y + P, x:x + P].copy())
                    acc[:, z:z + P, y:y + P, x:x + P] += model(t)[0][0].numpy()
                    cnt[z:z + P, y:y + P, x:x + P] += 1
    return (acc / cnt).argmax(0)[:D, :H, :W].astype(np.uint8)


def main():
    secs = float(sys.argv[1]) if len(sys.argv) > 1 and not sys.argv[1].startswith('--') else 420.0
    out_json = os.path.join(CKPT, MODEL3D + '.json')
    if os.path.exists(out_json) and '--force' not in sys.argv:
        print('skip', MODEL3D, '(trained)')
        return
    os.makedirs(CKPT, exist_ok=True)
    d = np.load(os.path.join(TASKS, MODEL3D + '.npz'))
    X, Y = d['X'].astype(np.float32), d['Y'].astype(np.int64)
    ncls = 3
    torch.manual_seed(0)
    rng = np.random.default_rng(0)
    model = UNet(1, ncls, BASE, 3)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    t0 = time.time()
    it = 0
    losses = []
    while time.time() - t0 < secs:
        model.train()
        z, y, x = [rng.integers(0, s - P + 1) for s in X.shape]
        xb = torch.from_numpy(X[None, None, z:z + P, y:y + P, x:x + P].copy())
        yb = torch.from_numpy(Y[None, z:z + P, y:y + P, x:x + P].copy())
        loss = loss_fn(model(xb)[0], yb, ncls)
        opt.zero_grad()
        loss.backward()
        opt.step()
        it += 1
        losses.append(float(loss))
        if it % 10 == 0:
            print(f'3d it {it} loss {np.mean(losses[-10:]):.4f} {(time.time() - t0) / it:.2f} s/it', flush=True)
    train_s = time.time() - t0
    t1 = time.time()
    pred = sliding_window(model, X, ncls)
    sw_s = time.time() - t1
    dv = dice_pooled(pred, Y, ncls)
    torch.save(model.state_dict(), os.path.join(CKPT, MODEL3D + '.pt'))
    res = dict(task=MODEL3D, iterations=it, seconds=round(train_s, 1), s_per_iteration=round(train_s / it, 3),
               batch=1, patch=[P, P, P], lr=1e-3, optimizer='Adam', loss='cross-entropy + soft Dice',
               final_loss=float(np.mean(losses[-10:])), sliding_window_seconds=round(sw_s, 1),
               val_dice_per_class=dv, val_dice_mean=mean_dice(dv),
               val_note='Dice on the training volume (only one CT exists), sliding window 64^3 at 50% overlap',
               seed=0, threads=torch.get_num_threads())
    write_json(out_json, res)
    print(json.dumps(res), flush=True)


if __name__ == '__main__':
    main()
