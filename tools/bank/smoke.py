#!/usr/bin/python3
"""Quick smoke test of the bank tooling (needs Debian python3-torch + python3-onnx; ~10-30 s, no data needed):
U-Net forward shapes, loss, the split/few-shot rules, normalization, and an ONNX export that keeps BatchNorm and
has per-stride dynamic axes. Prints 'smoke ok'."""
import os
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import NORM_CT, NORM_MR, normalize, set_threads  # noqa: E402

torch = set_threads()
import onnx  # noqa: E402

from prep import block_split, few_shot  # noqa: E402
from unet import OUTPUT_NAMES, UNet, loss_fn  # noqa: E402

torch.manual_seed(0)
m = UNet(1, 3, 8, 2)
x = torch.rand(2, 1, 32, 48)
outs = m(x)
assert [tuple(o.shape) for o in outs] == [(2, 3, 32, 48), (2, 8, 32, 48), (2, 16, 16, 24), (2, 32, 8, 12), (2, 64, 4, 6)]
loss = loss_fn(outs[0], torch.randint(0, 3, (2, 32, 48)), 3)
loss.backward()
assert np.isfinite(float(loss))
s = block_split(20)
assert list(s[:8]) == ['train'] * 7 + ['gap'] and list(s[16:20]) == ['val'] * 4
tr, ev = few_shot(58)
assert len(tr) == 10 and all(min(abs(e - t) for t in tr) >= 2 for e in ev)
v = np.arange(1000, dtype=np.uint8).reshape(10, 10, 10)
xn, p = normalize(v, NORM_MR)
assert xn.min() == 0 and xn.max() == 1 and p['lo'] < p['hi']
xc, _ = normalize(np.array([-2000, -1024, 1500, 3000], np.int16), NORM_CT)
assert list(xc) == [0, 0, 1, 1]
m.eval()
with tempfile.TemporaryDirectory() as d:
    path = os.path.join(d, 'm.onnx')
    dyn = {'image': {0: 'batch', 2: 'height', 3: 'width'}}
    for n, st in zip(OUTPUT_NAMES, [1, 1, 2, 4, 8]):
        dyn[n] = {0: 'batch', 2: f'height_s{st}', 3: f'width_s{st}'}
    torch.onnx.export(m, torch.rand(1, 1, 32, 32), path, opset_version=17, input_names=['image'],
                      output_names=OUTPUT_NAMES, dynamic_axes=dyn, training=torch.onnx.TrainingMode.PRESERVE)
    g = onnx.load(path)
    onnx.checker.check_model(g)
    assert 'BatchNormalization' in {n.op_type for n in g.graph.node}
    assert [o.name for o in g.graph.output] == OUTPUT_NAMES
print('smoke ok')
