#!/usr/bin/env bash
# Step 1: fetch the Debian data packages and unpack them into tools/bank/.cache/root (ignored by git).
# Resumable: skips packages already unpacked.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
CACHE="$HERE/.cache"
mkdir -p "$CACHE/debs" "$CACHE/root"
cd "$CACHE/debs"
for pkg in mricron-data insighttoolkit5-examples invesalius-examples; do
  if [ -f "$CACHE/root/.unpacked-$pkg" ]; then echo "skip $pkg (unpacked)"; continue; fi
  if ! ls "${pkg}"_*.deb >/dev/null 2>&1; then
    apt-get download "$pkg"
  fi
  dpkg -x "$(ls "${pkg}"_*.deb | head -1)" "$CACHE/root"
  ls "${pkg}"_*.deb > "$CACHE/root/.unpacked-$pkg"
  echo "unpacked $pkg"
done
# sanity: the files the prepare step needs
for f in usr/share/mricron/templates/ch2.nii.gz usr/share/mricron/templates/ch2bet.nii.gz \
         usr/share/mricron/templates/aal.nii.gz usr/share/mricron/templates/aal.nii.txt \
         usr/share/mricron/templates/inia19-t1-brain.nii.gz \
         usr/share/doc/insighttoolkit5-examples/examples/Data/KmeansTest_T1UCharRaw.nii.gz \
         usr/share/doc/insighttoolkit5-examples/examples/Data/KmeansTest_T1RawSkullStrip.nii.gz \
         usr/share/doc/invesalius-examples/examples/Cranium.inv3; do
  test -e "$CACHE/root/$f" || { echo "missing $f" >&2; exit 1; }
done
echo "fetch ok"
