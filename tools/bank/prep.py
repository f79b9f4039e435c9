#!/usr/bin/python3
"""Step 2: prepare the 2-D slice tasks (and the 3-D CT task) from the unpacked Debian data.

Usage: /usr/bin/python3 tools/bank/prep.py [--force]
Writes tools/bank/.cache/tasks/<task>.npz (+ .json) and, for the 4 targets, public/demo/targets/<id>/
{image.nii.gz,label.nii.gz,target.json}. Resumable: a task whose outputs exist is skipped.

Every task is cut from a 3-D "display volume": the domain resampled to its task spacing, re-indexed so that
NIfTI axis i = image column, j = image row, k = slice (see common.ORIENTATION), centre-cropped/padded to 128x128
in-plane on the brain (head for CT) centroid, and quantized to its storage type (uint8 MR, int16 HU for CT).
Stored NIfTI arrays are [i, j, k] = [row, col, slice]: numpy `np.take(vol, k, axis=2)` (rows = i, columns = j;
src/core/volume/slices.ts) is the model input orientation. The affine is the real world geometry. Model inputs are
normalize(stored volume) sliced along k, so an app that loads a target NIfTI and slices it along k gets exactly the
training inputs.
"""
import glob
import json
import os
import plistlib
import sys
import tarfile

import nibabel as nib
import numpy as np
from scipy import ndimage as ndi

from common import (CACHE, FEW_SHOT_K, INV3, ITKDATA, MRICRON, NORM_CT, NORM_MR, ORIENTATION, SIZE, TASKS, normalize,
                    target_dir, write_json)

FORCE = '--force' in sys.argv


# ---------------------------------------------------------------- geometry helpers
def canonical(img):
    img = nib.as_closest_canonical(img)
    return np.asarray(img.dataobj).astype(np.float32), img.affine.copy()


def resample(a, aff, factors, order):
    """Resample onto a grid with spacing multiplied by `factors` (same origin). Anti-alias images (order>0)."""
    f = np.asarray(factors, float)
    if np.allclose(f, 1):
        return a, aff
    if order > 0:
        sig = [0.5 * (x - 1) if x > 1 else 0 for x in f]
        a = ndi.gaussian_filter(a, sig)
    shape = tuple(int(np.floor((n - 1) / x)) + 1 for n, x in zip(a.shape, f))
    out = ndi.affine_transform(a, np.diag(f), output_shape=shape, order=order, mode='nearest')
    new = aff @ np.diag(list(f) + [1.0])
    return out, new


def view_matrix(view, shape, r0, c0):
    """M maps display index (i=col, j=row, k=slice, 1) to canonical RAS voxel index (x, y, z, 1)."""
    nx, ny, nz = shape
    if view == 'axial':      # k=z (I->S), rows y reversed (A->P), cols x reversed (R->L)
        return np.array([[-1, 0, 0, nx - 1 - c0], [0, -1, 0, ny - 1 - r0], [0, 0, 1, 0], [0, 0, 0, 1]], float)
    if view == 'coronal':    # k=y (P->A), rows z reversed (S->I), cols x reversed (R->L)
        return np.array([[-1, 0, 0, nx - 1 - c0], [0, 0, 1, 0], [0, -1, 0, nz - 1 - r0], [0, 0, 0, 1]], float)
    if view == 'sagittal':   # k=x (L->R... index order), rows z reversed (S->I), cols y reversed (A->P)
        return np.array([[0, 0, 1, 0], [-1, 0, 0, ny - 1 - c0], [0, -1, 0, nz - 1 - r0], [0, 0, 0, 1]], float)
    raise ValueError(view)


def nslices(view, shape):
    return {'axial': shape[2], 'coronal': shape[1], 'sagittal': shape[0]}[view]


def extract(a, M, n, fill):
    """Display volume D[k, row, col] (n x SIZE x SIZE) from canonical array a via index matrix M (nearest, exact)."""
    jj, ii = np.meshgrid(np.arange(SIZE), np.arange(SIZE), indexing='ij')  # row, col
    out = np.full((n, SIZE, SIZE), fill, dtype=a.dtype)
    for k in range(n):
        idx = M @ np.stack([ii.ravel(), jj.ravel(), np.full(ii.size, k), np.ones(ii.size)])
        x, y, z = [np.rint(v).astype(int) for v in idx[:3]]
        ok = (x >= 0) & (x < a.shape[0]) & (y >= 0) & (y < a.shape[1]) & (z >= 0) & (z < a.shape[2])
        sl = out[k].reshape(-1)
        sl[ok] = a[x[ok], y[ok], z[ok]]
    return out


def crop_offsets(view, mask):
    """Row/col offsets so that the 128x128 window is centred on the mask centroid (in display coordinates)."""
    M0 = view_matrix(view, mask.shape, 0, 0)
    c = np.array(ndi.center_of_mass(mask))
    # invert M0 for the centroid: display (i,j,k) of the canonical centroid
    disp = np.linalg.solve(M0, np.append(c, 1.0))
    c0 = int(round(disp[0] - SIZE / 2))
    r0 = int(round(disp[1] - SIZE / 2))
    return r0, c0


def largest_cc(m):
    lab, n = ndi.label(m)
    if n == 0:
        return m
    sizes = ndi.sum(m, lab, range(1, n + 1))
    return lab == (1 + int(np.argmax(sizes)))


def kmeans_tissue(img, brain, seed=0):
    """3-cluster k-means of intensities inside the brain mask -> 1 CSF, 2 GM, 3 WM (by ascending centre)."""
    from sklearn.cluster import KMeans
    v = img[brain].reshape(-1, 1)
    rng = np.random.default_rng(seed)
    sub = v[rng.choice(len(v), size=min(len(v), 200000), replace=False)]
    km = KMeans(n_clusters=3, n_init=10, random_state=seed).fit(sub)
    order = np.argsort(km.cluster_centers_.ravel())
    rank = np.empty(3, int)
    rank[order] = np.arange(3)
    lab = np.zeros(img.shape, np.uint8)
    lab[brain] = rank[km.predict(v)] + 1
    return lab


# ---------------------------------------------------------------- domains
def domain_colin():
    t1, aff = canonical(nib.load(os.path.join(MRICRON, 'ch2.nii.gz')))
    bet, aff2 = canonical(nib.load(os.path.join(MRICRON, 'ch2bet.nii.gz')))
    aal, aff3 = canonical(nib.load(os.path.join(MRICRON, 'aal.nii.gz')))
    assert np.allclose(aff, aff2) and np.allclose(aff, aff3)
    brain = ndi.binary_fill_holes(bet > 0)
    codes = {}
    for line in open(os.path.join(MRICRON, 'aal.nii.txt')):
        p = line.split()
        if len(p) >= 3:
            codes[int(p[0])] = int(p[2])
    lobe_of = np.zeros(int(aal.max()) + 1, np.uint8)
    for idx, code in codes.items():
        if idx < len(lobe_of):
            lobe_of[idx] = code // 1000  # 2..9
    lobe = lobe_of[aal.astype(int)]
    # resample to 1.5 mm
    t1r, affr = resample(t1, aff, [1.5] * 3, 1)
    brainr = resample(brain.astype(np.float32), aff, [1.5] * 3, 1)[0] > 0.5
    lober = resample(lobe.astype(np.float32), aff, [1.5] * 3, 0)[0].astype(np.uint8)
    t1q = np.clip(np.rint(t1r), 0, 255)
    head = largest_cc(ndi.binary_fill_holes(ndi.binary_closing(t1q > 20, iterations=3)))
    tissue = kmeans_tissue(t1q, brainr)
    lobes9 = np.zeros_like(lober)   # bg + 8 lobes (AAL code thousands digit 2..9 -> 1..8)
    for d in range(2, 10):
        lobes9[(lober == d) & brainr] = d - 1
    return dict(img=t1q, aff=affr, head=head, brain=brainr, tissue=tissue, lobes=lobes9)


def domain_colin_t2s(colin):
    """Synthetic T2-like contrast on real Colin anatomy: (1.15 - T1n)^1.3 in the head, x smooth bias, + noise."""
    t1n, _ = normalize(colin['img'][colin['head']], NORM_MR)  # percentiles inside the head
    x = np.zeros(colin['img'].shape, np.float32)
    x[colin['head']] = np.power(np.clip(1.15 - t1n, 0, None), 1.3)
    rng = np.random.default_rng(1234)
    shp = x.shape
    g = np.meshgrid(*[np.linspace(-1, 1, n) for n in shp], indexing='ij')
    bias = 1.0 + 0.15 * g[0] - 0.1 * g[1] + 0.1 * g[2] * g[0]
    x = x * bias + rng.normal(0, 0.02, shp) * colin['head']
    x = np.clip(x / np.percentile(x[colin['head']], 99.9) * 230, 0, 255)
    d = dict(colin)
    d['img'] = np.rint(x).astype(np.float32)
    return d


def domain_subj2():
    t1, aff = canonical(nib.load(os.path.join(ITKDATA, 'KmeansTest_T1UCharRaw.nii.gz')))
    ss, aff2 = canonical(nib.load(os.path.join(ITKDATA, 'KmeansTest_T1RawSkullStrip.nii.gz')))
    assert np.allclose(aff, aff2), (aff, aff2)
    brain = ndi.binary_fill_holes(ss > 0)
    head = largest_cc(ndi.binary_fill_holes(ndi.binary_closing(t1 > 20, iterations=2)))
    return dict(img=t1, aff=aff, head=head | brain, brain=brain, tissue=kmeans_tissue(t1, brain))


def domain_macaque():
    t1, aff = canonical(nib.load(os.path.join(MRICRON, 'inia19-t1-brain.nii.gz')))
    t1r, affr = resample(t1, aff, [1.5] * 3, 1)     # 0.5 mm -> 0.75 mm
    hi = np.percentile(t1r[t1r > 0], 99.9)
    t1q = np.clip(np.rint(t1r / hi * 250), 0, 255)  # stored as uint8 (scale recorded in the notice)
    brain = ndi.binary_fill_holes(largest_cc(t1q > 0))
    return dict(img=t1q, aff=affr, head=brain, brain=brain, tissue=kmeans_tissue(t1q, brain))


def domain_ct():
    cache = os.path.join(CACHE, 'inv3')
    if not os.path.exists(os.path.join(cache, '.ok')):
        os.makedirs(cache, exist_ok=True)
        with tarfile.open(INV3) as tf:
            for m in tf.getmembers():
                if m.isfile():
                    m.name = os.path.basename(m.name)
                    tf.extract(m, cache)
        open(os.path.join(cache, '.ok'), 'w').close()
    meta = plistlib.load(open(os.path.join(cache, 'main.plist'), 'rb'))
    shape = tuple(meta['matrix']['shape'])   # z, y, x
    sx, sy, sz = meta['spacing']
    hu = np.fromfile(os.path.join(cache, 'matrix.dat'), dtype=np.int16).reshape(shape)
    # Index order of matrix.dat, checked visually (the head-rest arc is posterior, the skull vault is at high z):
    # x -> patient left (DICOM convention; left-right cannot be checked from anatomy), y -> ANTERIOR (InVesalius
    # stores rows bottom-up, VTK style), z -> superior.
    a = hu.transpose(2, 1, 0).astype(np.float32)  # x, y, z
    aff = np.diag([-sx, sy, CT_Z_SIGN * sz, 1.0])  # voxel -> RAS mm
    img = nib.Nifti1Image(a, aff)
    a, aff = canonical(img)
    a, aff = resample(a, aff, [2, 2, 1], 1)      # in-plane /2 -> 1.914 mm
    hu = np.rint(a)
    bone = largest_cc(hu >= 226)
    head = largest_cc(ndi.binary_fill_holes(ndi.binary_closing(hu > -300, iterations=2)))
    soft = (hu > 0) & (hu < 80)
    ic = largest_cc(ndi.binary_erosion(soft, iterations=3))
    ic = ndi.binary_dilation(ic, iterations=3, mask=soft)
    for z in range(ic.shape[2]):
        ic[:, :, z] = ndi.binary_fill_holes(ic[:, :, z])
    ic &= head
    return dict(img=hu, aff=aff, head=head, bone=bone & head, intracranial=ic, brain=head)


CT_Z_SIGN = 1.0  # slice 0 of Cranium.inv3 is the most inferior slice (checked visually: README, prepare step)


# ---------------------------------------------------------------- tasks
def L(name, fn, classes):
    return dict(name=name, fn=fn, classes=classes)


TASK_DEFS = {
    # id: (domain, view, label fn, class names, description)
    'colin_t1_ax_brain': ('colin', 'axial', lambda d: d['brain'], ['background', 'brain'], 'Colin27 T1, brain mask (BET of Colin27, holes filled)'),
    'colin_t1_ax_wm': ('colin', 'axial', lambda d: d['tissue'] == 3, ['background', 'white_matter'], 'Colin27 T1, white matter (3-class k-means inside the brain mask)'),
    'colin_t1_ax_csf': ('colin', 'axial', lambda d: d['tissue'] == 1, ['background', 'csf'], 'Colin27 T1, CSF (3-class k-means inside the brain mask)'),
    'colin_t1_ax_gm': ('colin', 'axial', lambda d: d['tissue'] == 2, ['background', 'grey_matter'], 'Colin27 T1, grey matter (k-means)'),
    'colin_t1_ax_tissue': ('colin', 'axial', lambda d: d['tissue'], ['background', 'csf', 'grey_matter', 'white_matter'], 'Colin27 T1, CSF/GM/WM (k-means)'),
    'colin_t1_ax_lobes': ('colin', 'axial', lambda d: d['lobes'], ['background', 'frontal', 'insula', 'limbic', 'occipital', 'parietal', 'subcortical', 'temporal', 'cerebellum'], 'Colin27 T1, 8 lobes from the AAL atlas (code thousands digit)'),
    'colin_t1_cor_deepgm': ('colin', 'coronal', lambda d: d['lobes'] == 6, ['background', 'deep_grey_matter'], 'Colin27 T1 coronal, deep grey matter (AAL 7xxx: caudate, putamen, pallidum, thalamus)'),
    'colin_t1_sag_cerebellum': ('colin', 'sagittal', lambda d: d['lobes'] == 8, ['background', 'cerebellum'], 'Colin27 T1 sagittal, cerebellum (AAL 9xxx)'),
    'colin_t2s_ax_brain': ('colin_t2s', 'axial', lambda d: d['brain'], ['background', 'brain'], 'SYNTHETIC T2-like contrast of Colin27, brain mask'),
    'colin_t2s_ax_wm': ('colin_t2s', 'axial', lambda d: d['tissue'] == 3, ['background', 'white_matter'], 'SYNTHETIC T2-like contrast of Colin27, white matter (k-means on T1)'),
    'colin_t2s_cor_gm': ('colin_t2s', 'coronal', lambda d: d['tissue'] == 2, ['background', 'grey_matter'], 'SYNTHETIC T2-like Colin27 coronal, grey matter'),
    'subj2_t1_cor_brain': ('subj2', 'coronal', lambda d: d['brain'], ['background', 'brain'], 'ITK KmeansTest T1 (second subject) coronal, brain mask (ITK skull strip)'),
    'subj2_t1_cor_wm': ('subj2', 'coronal', lambda d: d['tissue'] == 3, ['background', 'white_matter'], 'ITK KmeansTest T1 coronal, white matter (3-class k-means inside the brain mask)'),
    'macaque_t1_ax_gm': ('macaque', 'axial', lambda d: d['tissue'] == 2, ['background', 'grey_matter'], 'INIA19 macaque T1, grey matter (k-means)'),
    'macaque_t1_ax_wm': ('macaque', 'axial', lambda d: d['tissue'] == 3, ['background', 'white_matter'], 'INIA19 macaque T1 axial, white matter (3-class k-means inside the brain)'),
    'macaque_t1_cor_tissue': ('macaque', 'coronal', lambda d: d['tissue'], ['background', 'csf', 'grey_matter', 'white_matter'], 'INIA19 macaque T1 coronal, CSF/GM/WM (k-means)'),
    'ct_ax_bone': ('ct', 'axial', lambda d: d['bone'], ['background', 'bone'], 'Head CT (InVesalius ProMED 0051), bone (HU >= 226, largest component)'),
    'ct_ax_head': ('ct', 'axial', lambda d: d['head'], ['background', 'head'], 'Head CT, head (HU > -300, closed, filled, largest component)'),
    # fresh targets (docs/estimators/hocs.md, "Third round"): defined before they were built or fine-tuned
    'subj2_t1_ax_gm': ('subj2', 'axial', lambda d: d['tissue'] == 2, ['background', 'grey_matter'], 'ITK KmeansTest T1 axial, grey matter (3-class k-means inside the brain mask)'),
    'subj2_t1_sag_csf': ('subj2', 'sagittal', lambda d: d['tissue'] == 1, ['background', 'csf'], 'ITK KmeansTest T1 sagittal, CSF (3-class k-means inside the brain mask)'),
    'macaque_t1_sag_brain': ('macaque', 'sagittal', lambda d: d['brain'], ['background', 'brain'], 'INIA19 macaque T1 sagittal, brain mask'),
    'ct_cor_bone': ('ct', 'coronal', lambda d: d['bone'], ['background', 'bone'], 'Head CT coronal, bone (HU >= 226, largest component)'),
    'ct_ax_intracranial': ('ct', 'axial', lambda d: d['intracranial'], ['background', 'intracranial'], 'Head CT axial, intracranial soft tissue (0<HU<80, eroded 3x, largest component, dilated 3x within threshold, holes filled per slice)'),
}

SPACING_NOTE = {'colin': 'Colin27 1 mm resampled to 1.5 mm', 'colin_t2s': 'as colin', 'subj2': 'native 2x2x3 mm',
                'macaque': 'INIA19 0.5 mm resampled to 0.75 mm', 'ct': 'CT in-plane /2 (1.914 mm), 1.5 mm slices'}
MODALITY = {'colin': 'MR-T1', 'colin_t2s': 'MR-T2-synthetic', 'subj2': 'MR-T1', 'macaque': 'MR-T1', 'ct': 'CT'}


def block_split(n):
    """Blocks of 8 consecutive slices cycle train,train,val,train,train,test; the last slice of a block is a gap."""
    roles = ['train', 'train', 'val', 'train', 'train', 'test']
    split = []
    for s in range(n):
        b, o = divmod(s, 8)
        split.append('gap' if o == 7 else roles[b % len(roles)])
    return np.array(split)


def few_shot(n, k=FEW_SHOT_K):
    train = sorted(set(int(round(x)) for x in np.linspace(1, n - 2, k)))
    ev = [s for s in range(n) if min(abs(s - t) for t in train) >= 2]
    return train, ev


# display index (i=row, j=col, k) -> (col, row, k) used by view_matrix
SWAP = np.array([[0, 1, 0, 0], [1, 0, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]], float)


def save_nifti(path, D, aff, dtype):
    data = np.asarray(D.transpose(1, 2, 0)).astype(dtype)   # [i=row, j=col, k=slice]
    img = nib.Nifti1Image(data, aff)
    img.header.set_xyzt_units('mm')
    img.set_qform(aff, code=1)
    img.set_sform(aff, code=1)
    nib.save(img, path)


def main():
    os.makedirs(TASKS, exist_ok=True)
    todo = [t for t in TASK_DEFS if FORCE or not os.path.exists(os.path.join(TASKS, t + '.json'))
            or (target_dir(t) and not os.path.exists(os.path.join(target_dir(t), 'target.json')))]
    need3d = FORCE or not os.path.exists(os.path.join(TASKS, 'ct3d_head_bone.json'))
    if not todo and not need3d:
        print('prep: all tasks exist, nothing to do')
        return
    doms = {}

    def dom(name):
        if name not in doms:
            print('loading domain', name, flush=True)
            if name == 'colin':
                doms[name] = domain_colin()
            elif name == 'colin_t2s':
                doms[name] = domain_colin_t2s(dom('colin'))
            elif name == 'subj2':
                doms[name] = domain_subj2()
            elif name == 'macaque':
                doms[name] = domain_macaque()
            elif name == 'ct':
                doms[name] = domain_ct()
        return doms[name]

    summary = {}
    for tid in todo:
        dname, view, fn, classes, desc = TASK_DEFS[tid]
        d = dom(dname)
        ct = dname == 'ct'
        r0, c0 = crop_offsets(view, d['head'] if ct else d['brain'])
        M = view_matrix(view, d['img'].shape, r0, c0)
        n = nslices(view, d['img'].shape)
        fill = -1024 if ct else 0
        img = extract(d['img'], M, n, fill)
        lab = extract(np.asarray(fn(d)).astype(np.uint8), M, n, 0)
        ext = extract(d['head'].astype(np.uint8), M, n, 0)
        aff = d['aff'] @ M @ SWAP   # NIfTI voxel (i=row, j=col, k) -> RAS mm
        dtype = np.int16 if ct else np.uint8
        img = img.astype(dtype)
        norm = NORM_CT if ct else NORM_MR
        X, params = normalize(img, norm)
        # slices of the task: the object covers >= 2 % of the slice
        frac = ext.reshape(n, -1).mean(1)
        sl = np.nonzero(frac >= 0.02)[0]
        lo_s, hi_s = int(sl.min()), int(sl.max())
        idx = np.arange(lo_s, hi_s + 1)
        split = block_split(len(idx))
        spacing = [float(np.linalg.norm(aff[:3, i])) for i in range(3)]
        meta = dict(id=tid, description=desc, domain=dname, view=view, modality=MODALITY[dname],
                    classes=classes, num_classes=len(classes), normalization=norm, normalization_params=params,
                    spacing_ijk_mm=spacing, spacing_note=SPACING_NOTE[dname], orientation=ORIENTATION[view],
                    affine=aff.tolist(), volume_shape_kji=list(img.shape), slices=idx.tolist(),
                    split={s: int((split == s).sum()) for s in ['train', 'val', 'test', 'gap']},
                    fg_fraction=float((lab[idx] > 0).mean()),
                    slices_with_fg=int((lab[idx].reshape(len(idx), -1).max(1) > 0).sum()))
        tmp = os.path.join(TASKS, tid + '.tmp.npz')
        np.savez_compressed(tmp, X=X[idx][:, None], Y=lab[idx], z=idx, split=split)
        os.replace(tmp, os.path.join(TASKS, tid + '.npz'))
        out = target_dir(tid)
        if out:
            os.makedirs(out, exist_ok=True)
            save_nifti(os.path.join(out, 'image.nii.gz'), img, aff, dtype)
            save_nifti(os.path.join(out, 'label.nii.gz'), lab, aff, np.uint8)
            tr, ev = few_shot(len(idx))
            meta['few_shot'] = dict(train_slices=[int(idx[i]) for i in tr], eval_slices=[int(idx[i]) for i in ev])
            tj = dict(
                id=tid, name=desc, modality=MODALITY[dname], class_names=classes, num_classes=len(classes),
                normalization=norm, normalization_params=params,
                normalization_definition=('lo/hi = 0.5/99.5 percentiles (numpy linear) over all voxels of image.nii.gz; '
                                          'x = clip((v-lo)/(hi-lo),0,1)') if not ct else 'x = clip((HU+1024)/2524,0,1)',
                slice_axis=2, slice_axis_name='k',
                slice_layout=('the NIfTI array is [i, j, k] = [row, col, slice]; slice k = np.take(vol, k, axis=2) '
                              '(rows = i, columns = j), as src/core/volume/slices.ts extractSlice(axis=2)'),
                orientation=ORIENTATION[view], view=view,
                image_shape_ijk=[SIZE, SIZE, n], spacing_ijk_mm=spacing,
                image_file='image.nii.gz', label_file='label.nii.gz',
                image_dtype=str(np.dtype(dtype)), label_values={str(i): c for i, c in enumerate(classes)},
                task_slices=idx.tolist(),
                few_shot_k=len(tr),
                train_slices=meta['few_shot']['train_slices'], eval_slices=meta['few_shot']['eval_slices'],
                eval_rule='evaluation slices = task slices at distance >= 2 from every labelled training slice',
                dice_definition='foreground Dice pooled over all evaluation slices',
                label_derivation=desc, labels_are_derived=True,
                source_data=PROVENANCE[dname],
            )
            write_json(os.path.join(out, 'target.json'), tj)
        write_json(os.path.join(TASKS, tid + '.json'), meta)
        summary[tid] = {k: meta[k] for k in ['split', 'fg_fraction', 'slices_with_fg', 'num_classes']}
        summary[tid]['n'] = len(idx)
        print(tid, summary[tid], flush=True)

    if need3d:
        d = dom('ct')
        r0, c0 = crop_offsets('axial', d['head'])
        M = view_matrix('axial', d['img'].shape, r0, c0)
        n = nslices('axial', d['img'].shape)
        img = extract(d['img'], M, n, -1024).astype(np.int16)
        lab = np.zeros(img.shape, np.uint8)
        lab[extract(d['head'].astype(np.uint8), M, n, 0) > 0] = 1
        lab[extract(d['bone'].astype(np.uint8), M, n, 0) > 0] = 2
        X, _ = normalize(img, NORM_CT)
        tmp = os.path.join(TASKS, 'ct3d_head_bone.tmp.npz')
        np.savez_compressed(tmp, X=X, Y=lab)   # [D=k, H=row, W=col]
        os.replace(tmp, os.path.join(TASKS, 'ct3d_head_bone.npz'))
        write_json(os.path.join(TASKS, 'ct3d_head_bone.json'), dict(
            id='ct3d_head_bone', classes=['background', 'soft_tissue', 'bone'], num_classes=3,
            affine=(d['aff'] @ M @ SWAP).tolist(), layout='X/Y are [D=k, H=i(row), W=j(col)]',
            normalization=NORM_CT, volume_shape_kji=list(img.shape)))
        print('ct3d_head_bone', img.shape, np.bincount(lab.ravel()), flush=True)


PROVENANCE = {
    'colin': 'Colin27 (ch2, ch2bet) and AAL atlas from Debian mricron-data 1.2.20211006+dfsg-4; see public/demo/NOTICE',
    'colin_t2s': 'SYNTHETIC contrast computed from Colin27 (Debian mricron-data); see public/demo/NOTICE',
    'subj2': 'ITK KmeansTest_T1UCharRaw / KmeansTest_T1RawSkullStrip from Debian insighttoolkit5-examples 5.2.1-5+deb12u1 (Apache-2.0); see public/demo/NOTICE',
    'macaque': 'INIA19 rhesus macaque template (inia19-t1-brain) from Debian mricron-data; see public/demo/NOTICE',
    'ct': 'Head CT "ProMED CT 0051" (Cranium.inv3) from Debian invesalius-examples 3.1.99998-4 (GPL-2); see public/demo/NOTICE',
}

if __name__ == '__main__':
    main()
