#!/bin/bash
# Ranks the demo bank's 2-D models on each held-out target (tools/bank/holdout/<id>/, built by prep.py) exactly as a
# user would (`rank --models ... --images ... --labels ... --slices <train_slices>`), merges the studies into one report
# and validates it against the held-out fine-tuned Dice (finetune.py --holdout). docs/estimators/hocs.md, "Held-out targets".
#   tools/bank/holdout.sh [report.json] [dir]   (default .scratch/holdout-report.json and tools/bank/holdout; the
#   validation prints to stdout). dir = tools/bank/fresh: the third round's fresh targets (finetune.py --fresh).
set -euo pipefail
cd "$(dirname "$0")/../.."
report=${1:-.scratch/holdout-report.json}
targets=${2:-tools/bank/holdout}
mkdir -p "$(dirname "$report")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# the bank's 2-D models (the demo study's set: sidecar dim 2)
mapfile -t models < <(node -e '
  const fs = require("fs"), d = "public/demo/models";
  for (const f of fs.readdirSync(d).filter((f) => f.endsWith(".json") && f !== "index.json").sort())
    if (JSON.parse(fs.readFileSync(`${d}/${f}`, "utf8")).dim === 2) console.log(`${d}/${f.replace(/\.json$/, ".onnx")}`);')
for dir in "$targets"/*/; do
  id=$(basename "$dir")
  slices=$(node -p "require('./${dir}target.json').train_slices.join(',')")
  classes=$(node -p "require('./${dir}target.json').class_names.join(',')")
  bin/transferlens rank --quiet --target "$id" --models "${models[@]}" --images "${dir}image.nii.gz" --labels "${dir}label.nii.gz" \
    --classes "$classes" --slices "$slices" --out "$tmp/$id.json"
done
node -e '
  const fs = require("fs"), [out, ...parts] = process.argv.slice(1);
  const reports = parts.map((p) => JSON.parse(fs.readFileSync(p, "utf8")));
  fs.writeFileSync(out, JSON.stringify({ ...reports[0], studies: reports.flatMap((r) => r.studies) }) + "\n");' "$report" "$tmp"/*.json
bin/transferlens validate --report "$report" --dice "$targets/finetune-dice.json"
