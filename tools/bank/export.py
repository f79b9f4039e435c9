#!/usr/bin/python3
"""Step 4: export every trained model to ONNX (opset 17, BatchNorm preserved), write its sidecar manifest
public/demo/models/<id>.json and reference outputs public/demo/reference/<id>.json.
Usage: /usr/bin/python3 tools/bank/export.py [--force]
Resumable: a model whose manifest exists and whose checkpoint is not newer is skipped.
Verification: onnx.checker + graph checks here (no Python onnxruntime in Debian); numeric parity against the
reference outputs in Node: `npx vitest run test/demo-bank.test.ts`."""
import base64
import json
import os
import sys
import warnings

import numpy as np

from common import (BASE, CKPT, MODEL3D, MODELS, ORIENTATION, REFERENCE, SIZE, SOURCES, TASKS, dice_pooled, load_task,
                    mean_dice, sha256, write_json)
from common import set_threads

torch = set_threads()
import onnx  # noqa: E402

from unet import OUTPUT_NAMES, UNet  # noqa: E402

warnings.filterwarnings('ignore')
FORCE = '--force' in sys.argv

LICENCE = {
    'colin': ('Colin27 T1 (ch2, ch2bet) and AAL atlas as shipped in Debian mricron-data 1.2.20211006+dfsg-4 '
              '(debian/copyright: BSD-3-clause, Chris Rorden). Colin27: Holmes et al. 1998, MNI; AAL: '
              'Tzourio-Mazoyer et al. 2002. Labels are DERIVED (BET mask, AAL atlas, k-means). See public/demo/NOTICE.'),
    'colin_t2s': ('SYNTHETIC T2-like contrast computed from Colin27 (Debian mricron-data, BSD-3-clause) by '
                  'tools/bank/prep.py; labels derived from Colin27 (BET mask, k-means on T1). See public/demo/NOTICE.'),
    'macaque': ('INIA19 rhesus macaque template (inia19-t1-brain) as shipped in Debian mricron-data (debian/copyright: '
                'BSD-3-clause); Rohlfing et al. 2012. Labels are DERIVED (k-means). See public/demo/NOTICE.'),
    'ct': ('Head CT "ProMED CT 0051" (Cranium.inv3) as shipped in Debian invesalius-examples 3.1.99998-4 '
           '(debian/copyright: GPL-2). Labels are DERIVED (HU thresholds + morphology). See public/demo/NOTICE.'),
}


def ref_input_2d(task):
    d, meta = load_task(task)
    test = np.nonzero(d['split'] == 'test')[0]
    i = int(test[len(test) // 2])
    u8 = np.rint(d['X'][i, 0] * 255).astype(np.uint8)
    return u8, dict(source=f'tools/bank task {task}, slice k={int(d["z"][i])} (a test slice), quantized to uint8',
                    shape=[1, 1, SIZE, SIZE])


def ref_input_3d():
    d = np.load(os.path.join(TASKS, MODEL3D + '.npz'))
    X = d['X']
    D, H, W = X.shape
    z0, y0, x0 = D // 2 - 16, H // 2 - 16, W // 2 - 16
    u8 = np.rint(X[z0:z0 + 32, y0:y0 + 32, x0:x0 + 32] * 255).astype(np.uint8)
    return u8, dict(source=f'central 32^3 crop (k,row,col from {z0},{y0},{x0}) of the CT volume, normalized, '
                    'quantized to uint8', shape=[1, 1, 32, 32, 32])


def summarize(a):
    flat = a.ravel().astype(np.float64)
    stride = max(1, flat.size // 256)
    return dict(shape=list(a.shape), mean=float(flat.mean()), std=float(flat.std()), min=float(flat.min()),
                max=float(flat.max()), stride=stride, samples=[float(v) for v in flat[::stride][:256]])


def export(mid):
    dim = 3 if mid == MODEL3D else 2
    ck = os.path.join(CKPT, mid + '.pt')
    tr = json.load(open(os.path.join(CKPT, mid + '.json')))
    meta = json.load(open(os.path.join(TASKS, mid + '.json')))
    onnx_path = os.path.join(MODELS, mid + '.onnx')
    man_path = os.path.join(MODELS, mid + '.json')
    if (not FORCE and os.path.exists(man_path) and os.path.exists(onnx_path)
            and os.path.getmtime(man_path) >= os.path.getmtime(ck)):
        print('skip', mid, '(exported)')
        return
    ncls = meta['num_classes']
    model = UNet(1, ncls, BASE, dim)
    model.load_state_dict(torch.load(ck))
    model.eval()
    sp = ['depth', 'height', 'width'] if dim == 3 else ['height', 'width']
    dyn = {'image': {0: 'batch', **{2 + i: n for i, n in enumerate(sp)}}}
    for name, s in zip(OUTPUT_NAMES, [1, 1, 2, 4, 8]):
        dyn[name] = {0: 'batch', **{2 + i: f'{n}_s{s}' for i, n in enumerate(sp)}}
    x = torch.rand((1, 1) + (32,) * dim if dim == 3 else (1, 1, SIZE, SIZE))
    os.makedirs(MODELS, exist_ok=True)
    torch.onnx.export(model, x, onnx_path, opset_version=17, input_names=['image'], output_names=OUTPUT_NAMES,
                      dynamic_axes=dyn, training=torch.onnx.TrainingMode.PRESERVE, do_constant_folding=True)
    m = onnx.load(onnx_path)
    onnx.checker.check_model(m)
    ops = sorted({n.op_type for n in m.graph.node})
    assert 'BatchNormalization' in ops, ops
    assert [o.name for o in m.graph.output] == OUTPUT_NAMES
    assert [i.name for i in m.graph.input] == ['image']
    if dim == 2:   # (re)compute validation/test Dice from the checkpoint with common.dice_pooled
        d, _ = load_task(mid)
        for part in ('val', 'test'):
            sel = np.nonzero(d['split'] == part)[0]
            with torch.no_grad():
                pred = model(torch.from_numpy(d['X'][sel]))[0].argmax(1).numpy()
            pc = dice_pooled(pred, d['Y'][sel], ncls)
            tr[part + '_dice_per_class'] = pc
            tr[part + '_dice_mean'] = mean_dice(pc)
    # reference outputs on a fixed, exactly reproducible input (uint8 / 255)
    u8, spec = ref_input_3d() if dim == 3 else ref_input_2d(mid)
    xin = torch.from_numpy((u8.astype(np.float32) / np.float32(255)).reshape(spec['shape']))
    with torch.no_grad():
        outs = [o.numpy() for o in model(xin)]
    spec.update(encoding='uint8 row-major (C order), base64; input = value / 255 as float32',
                data=base64.b64encode(u8.tobytes()).decode())
    ref = dict(id=mid, input=spec, outputs={n: summarize(o) for n, o in zip(OUTPUT_NAMES, outs)},
               tolerance=dict(abs=1e-4, rel=1e-4), produced_by='PyTorch ' + torch.__version__ + ' (tools/bank/export.py)')
    write_json(os.path.join(REFERENCE, mid + '.json'), ref)
    sij = spacing_of(meta)    # NIfTI [i=row, j=col, k=slice]
    if dim == 2:
        spacing = [sij[0], sij[1]]          # [H=i, W=j]
        slice_mm = sij[2]
    else:
        spacing = [sij[2], sij[0], sij[1]]  # [D=k, H=i, W=j]
        slice_mm = None
    dom = meta.get('domain', 'ct')
    man = dict(
        id=mid, name=NAMES.get(mid, mid), task=mid,
        description=meta.get('description', '3-D head CT: soft tissue and bone (HU thresholds + morphology)'),
        modality=meta.get('modality', 'CT'), dim=dim, in_channels=1, num_classes=ncls,
        class_names=meta['classes'], input_spacing=spacing,
        input_spacing_axes=['D', 'H', 'W'] if dim == 3 else ['H', 'W'], slice_spacing_mm=slice_mm,
        normalization=meta['normalization'],
        normalization_definition=('lo/hi = 0.5/99.5 percentiles (numpy linear) over all voxels of the 3-D volume; '
                                  'x = clip((v-lo)/(hi-lo),0,1)') if meta['normalization'].startswith('percentile')
        else 'x = clip((HU+1024)/2524,0,1)',
        view=meta.get('view', 'axial'), orientation=ORIENTATION[meta.get('view', 'axial')],
        input_multiple=16, input_name='image', logits_name='logits', output_names=OUTPUT_NAMES,
        input_layout=('NCDHW: D = slice axis k, H = i (rows), W = j (cols) of the NIfTI [i,j,k] array, i.e. a stack '
                      'of np.take(vol, k, axis=2) slices') if dim == 3 else
        'NCHW: one np.take(vol, k, axis=2) slice of the NIfTI [i,j,k] array (H = i rows, W = j cols)',
        features=[dict(name=f'dec{k}', stride=2 ** k, channels=BASE * 2 ** k) for k in range(4)],
        architecture=dict(type='unet', base=BASE, levels=4, norm='batchnorm', upsampling='convtranspose',
                          blocks='2x (3x3 conv + BN + ReLU)', params=int(sum(p.numel() for p in model.parameters()))),
        onnx=dict(opset=17, batchnorm='preserved (training=PRESERVE, eval mode)', ops=ops),
        training=dict(task=mid, train_slices=tr.get('n_train'), val_slices=tr.get('n_val'), iterations=tr['iterations'],
                      seconds=tr['seconds'], s_per_iteration=tr['s_per_iteration'], batch=tr['batch'], lr=tr['lr'],
                      optimizer=tr['optimizer'], loss=tr['loss'], augmentation=tr.get('augmentation'),
                      patch=tr.get('patch'), seed=tr['seed'], threads=tr['threads'],
                      split=meta.get('split'), split_rule=('blocks of 8 consecutive slices cycle train,train,val,'
                                                           'train,train,test; the last slice of each block is a gap')
                      if dim == 2 else None),
        validation_dice=round(tr['val_dice_mean'], 4),
        validation_dice_per_class=[None if v is None else round(v, 4) for v in tr['val_dice_per_class']],
        validation_note=tr.get('val_note', 'foreground Dice pooled over the validation slices, mean over the foreground '
                               'classes present in the reference or the prediction (null = absent from both)'),
        test_dice=round(tr['test_dice_mean'], 4) if 'test_dice_mean' in tr else None,
        provenance=dict(data=LICENCE[dom if dom in LICENCE else 'ct'], labels='derived (atlas / threshold / k-means), not manual',
                        built_by='tools/bank (train2d.py / train3d.py, export.py)', notice='public/demo/NOTICE',
                        model_licence='trained weights derived from the data above; see NOTICE'),
        labels_derived=True,
        file=mid + '.onnx', bytes=os.path.getsize(onnx_path), sha256=sha256(onnx_path),
        reference='../reference/' + mid + '.json',
    )
    if dim == 3:
        man['sliding_window'] = dict(patch=[64, 64, 64], step=[32, 32, 32], blend='mean of logits over overlapping windows',
                                     pad='pad each axis to >= 64 (then to a multiple of 16)', seconds_pytorch_1thread=tr.get('sliding_window_seconds'))
    write_json(man_path, man)
    print('exported', mid, man['bytes'], 'bytes, val Dice', man['validation_dice'], flush=True)


def spacing_of(meta):
    aff = np.array(meta['affine'])
    return [float(np.linalg.norm(aff[:3, i])) for i in range(3)]


NAMES = {
    'colin_t1_ax_brain': 'Brain mask, T1 axial (Colin27)',
    'colin_t1_ax_wm': 'White matter, T1 axial (Colin27)',
    'colin_t1_ax_csf': 'CSF, T1 axial (Colin27)',
    'colin_t1_ax_tissue': 'CSF/GM/WM, T1 axial (Colin27)',
    'colin_t1_ax_lobes': 'AAL lobes, T1 axial (Colin27)',
    'colin_t1_cor_deepgm': 'Deep grey matter, T1 coronal (Colin27)',
    'colin_t1_sag_cerebellum': 'Cerebellum, T1 sagittal (Colin27)',
    'colin_t2s_ax_brain': 'Brain mask, synthetic T2 axial (Colin27)',
    'colin_t2s_ax_wm': 'White matter, synthetic T2 axial (Colin27)',
    'macaque_t1_cor_tissue': 'CSF/GM/WM, macaque T1 coronal (INIA19)',
    'ct_ax_head': 'Head, CT axial (ProMED 0051)',
    'ct3d_head_bone': 'Soft tissue + bone, 3-D CT (ProMED 0051)',
}


def main():
    ids = [s for s in SOURCES + [MODEL3D] if os.path.exists(os.path.join(CKPT, s + '.json'))]
    missing = [s for s in SOURCES + [MODEL3D] if s not in ids]
    for mid in ids:
        export(mid)
    write_json(os.path.join(MODELS, 'index.json'), dict(
        models=[m for m in SOURCES + [MODEL3D] if os.path.exists(os.path.join(MODELS, m + '.json'))],
        sources_2d=[m for m in SOURCES if os.path.exists(os.path.join(MODELS, m + '.json'))],
        model_3d=MODEL3D if os.path.exists(os.path.join(MODELS, MODEL3D + '.json')) else None))
    if missing:
        print('not trained yet:', missing)
        sys.exit(1)


if __name__ == '__main__':
    main()
