#!/usr/bin/env bash
# Runs the fine-tuning lab's scheme comparison on the demo bank (issue 8 §6), resumably: one `transferlens finetune`
# result per (target, model, condition, seed) under tools/lab/.cache/runs/, skipped when it already exists.
# Protocol, fixed before any result was seen:
#   models: per target, the best and the median source (6th of 11) by the bank's fine-tuned Dice (finetune-dice.json);
#   conditions (same 15 iterations, batch 8, CE + soft Dice, the bank's training slices, seeds 0 1 2):
#     constant-adam   constant LR 1e-3, Adam (the bank's ground-truth protocol, without its 10x head LR)
#     constant-sgd    constant LR 1e-3, SGD (MetaLR's own baseline: same optimizer as MetaLR)
#     metalr-paper    MetaLR, paper rule, SGD, eta 0.1, initial LRs 1e-3 (head 1e-2)
#     risk-adam       constant LR 1e-3, Adam, transfer-risk-weighted foreground-normalised CE + soft Dice
# Summarise with: npx tsx tools/lab/schemeTable.ts
set -euo pipefail
cd "$(dirname "$0")/../.."
out=tools/lab/.cache/runs
mkdir -p "$out"
seeds="${SEEDS:-0 1 2}"
pairs=$(node -e '
const d = require("./public/demo/finetune-dice.json");
const rows = Object.entries(d.targets).map(([t, ms]) => [t, Object.entries(ms).filter(([m]) => m !== "scratch").sort((a, b) => b[1].mean - a[1].mean)]);
for (const [t, s] of rows) console.log(t + " " + s[0][0]);                          // every best source first,
for (const [t, s] of rows) console.log(t + " " + s[Math.floor(s.length / 2)][0]);  // then the medians')
while read -r target model; do
  for cond in constant-adam constant-sgd metalr-paper risk-adam; do
    case $cond in
      constant-adam) args=(--scheme constant --optimizer adam --lr 1e-3) ;;
      constant-sgd) args=(--scheme constant --optimizer sgd --lr 1e-3) ;;
      metalr-paper) args=(--scheme metalr-paper --optimizer sgd) ;;
      risk-adam) args=(--scheme constant --optimizer adam --lr 1e-3 --risk-weighted) ;;
    esac
    for seed in $seeds; do
      f="$out/$target.$model.$cond.$seed.json"
      [ -s "$f" ] && continue
      echo "$(date +%T) $target $model $cond seed $seed" >&2
      bin/transferlens finetune --demo --target "$target" --model-id "$model" "${args[@]}" \
        --loss ce-dice --iterations 15 --batch 8 --seed "$seed" --quiet --out "$f.part"
      mv "$f.part" "$f"
    done
  done
done <<< "$pairs"
echo "all runs done" >&2
