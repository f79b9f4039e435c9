"""scikit-learn's Barnes-Hut TSNE on one thread, for bench/tsneVsSklearn.ts (issue 5 item 5).

Usage: OMP_NUM_THREADS=1 /usr/bin/python3 bench/sklearnTsne.py IN.f64 N DIM OUT.f64 [N_ITER] [SEED]
Reads N×DIM little-endian float64 rows, runs TSNE with sklearn 1.2's defaults (perplexity 30, early
exaggeration 12, learning_rate='auto', init='pca', angle 0.5), writes the N×2 embedding as float64 and
prints {"seconds": fit wall time, "cpu_seconds": fit CPU time, "kl": final KL, "n_iter": iterations run, "sklearn": version} as JSON.
"""
import json
import os
import sys
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")
import numpy as np  # noqa: E402
import sklearn  # noqa: E402
from sklearn.manifold import TSNE  # noqa: E402


def main() -> None:
    src, n, dim, out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    n_iter = int(sys.argv[5]) if len(sys.argv) > 5 else 1000
    seed = int(sys.argv[6]) if len(sys.argv) > 6 else 0
    x = np.fromfile(src, dtype="<f8").reshape(n, dim)
    tsne = TSNE(n_components=2, perplexity=30.0, early_exaggeration=12.0, learning_rate="auto",
                n_iter=n_iter, init="pca", method="barnes_hut", angle=0.5, random_state=seed, n_jobs=1)
    t0, c0 = time.perf_counter(), time.process_time()
    y = tsne.fit_transform(x)
    seconds, cpu_seconds = time.perf_counter() - t0, time.process_time() - c0
    np.asarray(y, dtype="<f8").tofile(out)
    print(json.dumps({"seconds": seconds, "cpu_seconds": cpu_seconds, "kl": float(tsne.kl_divergence_), "n_iter": int(tsne.n_iter_),
                      "sklearn": sklearn.__version__}))


if __name__ == "__main__":
    main()
