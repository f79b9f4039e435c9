// The text of `transferlens finetune --help` (issue 8 §5): every option of the fine-tuning command.
export const FINETUNE_HELP = `transferlens finetune: fine-tune a model on labelled slices (tfjs in Node, wasm backend) and report Dice and curves.

Usage:
  transferlens finetune --model M.onnx --images I --labels L [options]     (M.json sidecar next to M.onnx)
  transferlens finetune --demo --target ID --model-id ID [options]          (the bundled demo bank)
  transferlens finetune --all-models (--demo --target ID [--model-id A,B] | --models DIR|M.onnx...) [--seeds 3] [--time-budget S] [options]

Options
  --case-unit slice|block      cases: the volume's slices (2-D models) or blocks of it (3-D models); the model's dim decides
  --block 32 | d,h,w           3-D models: a block's voxels along the slice axis, rows, columns (default 2 × input_multiple
                               each); the volume is tiled, a remainder left out; --train-cases then names block indices
                               (default: min(10, F/8) evenly spaced of the F blocks with foreground); held out = blocks with
                               foreground sharing no face with a training block
  --axis 0|1|2                 slice axis of --images/--labels (default 2)
  --train-cases 3,9,15         training slices (default: a demo target's train_slices, else min(10, F/4) evenly spaced
                               foreground slices); held out = slices neither trained on nor adjacent to one, within a
                               demo target's task_slices (else with foreground)
  --scheme constant|last-layer|layer-wise|bi-directional|metalr-paper|metalr-official   (default constant)
  --top-k K                    layer-wise: train the last K layer groups; --frozen m,n  bi-directional: groups m..n frozen
  --groups G.json              layer groups: a JSON object {"parameter name": "group name"} moving parameters out of their
                               default group (parameter-name prefix: enc.0.net.0.weight → enc.0); groups are ordered by
                               first use, the last is the head; an unknown parameter is an error
  --optimizer adam|sgd         default adam (sgd for MetaLR, as the paper)
  --lr 1e-3                    LR of the non-MetaLR schemes; --eta 0.1  MetaLR's hyper-LR
  --lr-max X                   MetaLR: clip every learned LR at X (the paper rule has no upper bound; the official rule's is 1e-2)
  --loss ce|ce-dice            default ce
  --risk-weighted              transfer-risk-weighted, foreground-normalised cross-entropy (spec §10)
  --iterations 100  --batch 8  --seed 0
  --backend wasm|cpu           tfjs backend (default wasm)
  --out result.json            write there instead of stdout; --quiet: no progress on stderr
  --export-onnx FT.onnx        also write the fine-tuned model as ONNX (the original graph with the trained weights and
                               BatchNorm statistics; a replaced head has the target's class count) and its sidecar
                               manifest FT.json (same logits/feature outputs, num_classes and normalisation updated)
  Output: {"dice": {"test", "perClass"}, "curves": {"iteration", "loss", "lrs": {group: [...]}, "valLoss", "dots", "seconds"},
           "provenance": {...}, "risk": {"cases", "meanBefore", "meanAfter", "foregroundBefore", "foregroundAfter",
           "perClass": {"before", "after", "pixels"}, "scoreBefore", "scoreAfter"}}: "risk" summarises the transfer risk map
           (pixel LEEP → 10^Ĥ per slice, spec §10) of the source model ("before") and of the fine-tuned one ("after") on the
           held-out slices. With --all-models: {"targets": {ID: {model: {"dice": [per seed], "mean", "sd"}}}, "protocol"},
           the format of public/demo/finetune-dice.json that rank --dice and validate read.
`;
