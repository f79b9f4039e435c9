"""Rebuild the 2-D training checkpoints (.cache/ckpt/<id>.pt) from the committed ONNX models.

  /usr/bin/python3 tools/bank/ckpt_from_onnx.py [--force]

Why: `.cache/` is not in git, so on a fresh machine `finetune.py` (step 5) has no checkpoints to start from.
Retraining (step 3, ~37 min) would not reproduce the committed models bit for bit; the ONNX files hold every weight
and BatchNorm running statistic as the same float32 values (the export names each initialiser after its state_dict
key), so loading them back gives exactly the models the product ranks. `num_batches_tracked` is not exported; it is
unused with BatchNorm's default momentum (0.1), so it is set to 0. Verified by `finetune.py check`, which reruns
one committed (target, model, seed) run and compares its Dice."""
import os
import sys

import numpy as np

from common import CACHE, CKPT, DEMO, SOURCES

HERE = os.path.dirname(os.path.abspath(__file__))


def main(force):
    import json
    import onnx
    from onnx import numpy_helper
    import torch
    from unet import UNet
    os.makedirs(CKPT, exist_ok=True)
    for m in SOURCES:
        out = os.path.join(CKPT, m + '.pt')
        if os.path.exists(out) and not force:
            continue
        src = json.load(open(os.path.join(CACHE, 'tasks', m + '.json')))
        net = UNet(1, src['num_classes'], 8, 2)
        sd = net.state_dict()
        g = onnx.load(os.path.join(DEMO, 'models', m + '.onnx')).graph
        init = {i.name: numpy_helper.to_array(i) for i in g.initializer}
        new = {}
        for k, v in sd.items():
            if k.endswith('num_batches_tracked'):
                new[k] = torch.zeros_like(v)
                continue
            if k not in init:
                raise SystemExit(f'{m}: state_dict key {k} has no ONNX initialiser')
            a = init.pop(k)
            if tuple(a.shape) != tuple(v.shape):
                raise SystemExit(f'{m}: {k} shape {a.shape} in ONNX vs {tuple(v.shape)}')
            new[k] = torch.from_numpy(np.array(a, dtype=np.float32))
        if init:
            raise SystemExit(f'{m}: ONNX initialisers not in the state_dict: {sorted(init)[:5]}')
        net.load_state_dict(new)
        torch.save(net.state_dict(), out)
        print('rebuilt', out, flush=True)


if __name__ == '__main__':
    sys.path.insert(0, HERE)
    main('--force' in sys.argv)
