#!/usr/bin/env bash
# Rebuild the whole demo bank (public/demo) from nothing. Every step is resumable: re-running skips outputs that
# exist (delete tools/bank/.cache/<step> outputs, or pass --force to a step, to redo it).
# Needs: apt-get (data packages), Debian python3-torch etc. via /usr/bin/python3, and for the last check
# node_modules with onnxruntime-node (npm ci).
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
PY=/usr/bin/python3
export OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1
step() { echo "== $(date -u +%H:%M:%S) $*"; }

step "1/6 fetch";        "$HERE/fetch.sh"
step "2/6 prepare";      "$PY" "$HERE/prep.py"
step "3/6 train";        "$PY" "$HERE/train_all.py" "${TRAIN_SECONDS_2D:-240}" "${TRAIN_SECONDS_3D:-420}"
step "4/6 export";       "$PY" "$HERE/export.py"
# two invocations, each well under an hour here (33 and 23 min under load); the second adds seeds 3-4
step "5/6 fine-tune seeds 0-2"; "$PY" "$HERE/finetune.py" run "${FT_ITERS:-15}" 3 2
step "5/6 fine-tune seeds 3-4"; "$PY" "$HERE/finetune.py" run "${FT_ITERS:-15}" "${FT_SEEDS:-5}" 2
step "6/6 verify (onnxruntime-node)"
if [ -d "$REPO/node_modules/onnxruntime-node" ]; then
  (cd "$REPO" && npx vitest run test/demo-bank.test.ts)
else
  echo "node_modules/onnxruntime-node missing: run npm ci, then npx vitest run test/demo-bank.test.ts"
fi
step "done"
