#!/usr/bin/python3
"""Print the Markdown tables of tools/bank/README.md (sources, 3-D model, fine-tuning ground truth) from the
built artifacts (public/demo/models/*.json, public/demo/finetune-dice.json). No torch needed."""
import json
import os

from common import DEMO, MODEL3D, MODELS, SOURCES, TARGETS

print('| model | classes | iterations | train s | s/it | val Dice (per class) | ONNX bytes |')
print('|---|---|---|---|---|---|---|')
for m in SOURCES + [MODEL3D]:
    p = os.path.join(MODELS, m + '.json')
    if not os.path.exists(p):
        print(f'| {m} | not built | | | | | |')
        continue
    j = json.load(open(p))
    tr = j['training']
    per = ', '.join('–' if v is None else f'{v:.3f}' for v in j['validation_dice_per_class'])
    print(f"| {m} | {j['num_classes']} | {tr['iterations']} | {tr['seconds']:.0f} | {tr['s_per_iteration']:.2f} | "
          f"**{j['validation_dice']:.3f}** ({per}) | {j['bytes']} |")
p = os.path.join(DEMO, 'finetune-dice.json')
if os.path.exists(p):
    res = json.load(open(p))['targets']
    print()
    print('| model | ' + ' | '.join(TARGETS) + ' |')
    print('|---|' + '---|' * len(TARGETS))
    for m in SOURCES + ['scratch']:
        cells = [f"{res[t][m]['mean']:.3f} ± {res[t][m]['sd']:.3f}" if m in res.get(t, {}) else '–' for t in TARGETS]
        print(f'| {m} | ' + ' | '.join(cells) + ' |')
