// The text of `transferlens --help`.
export const HELP = `TransferLens: which pre-trained segmentation model should I fine-tune on my data?

Usage:
  transferlens estimate FILE.json   Compute every estimator the input allows and print one JSON object.
  transferlens rank --demo [--target ID] [options]
                                    Rank the bundled demo bank on its demo targets (one study per target).
  transferlens rank --models M.onnx... --images IMG --labels LAB [--classes bg,fg] [options]
                                    Rank your models (each with a sidecar M.json) on your labelled volume.
  transferlens inspect MODEL.onnx [--out MODEL.json]
                                    Derive a sidecar manifest for a model without one: finds the decoder
                                    stage outputs per stride with a probe run; check it, then keep it.
  transferlens validate --demo | --report R.json --dice D.json [--json] [--save R.json] [--validation-resamples N] [--resample-models]
                                    Every estimator's weighted tau, Pearson and top-1 regret vs fine-tuned Dice (95% intervals over seeds and cases), noise ceiling, chance tau.
  transferlens finetune --model M.onnx --images I --labels L | --demo --target ID --model-id ID [--all-models] [options]
                                    Fine-tune a model (tfjs, no GPU needed): Dice, curves; see \`transferlens finetune --help\`.
  transferlens --help               This text.
  transferlens --version            The version.

estimate
  FILE.json follows the reference-vector input schema (every key optional):
    features (N×D), labels (N), source_probs (N×Cs)      -> leep, nce, logme_fixed_point, logme_icml,
                                                           logme_tllib, transrate_appendix_eps1e-4,
                                                           transrate_official_eig_eps1e-4, gbc_diagonal,
                                                           gbc_spherical, gbc_diagonal_pca8, hscore
    ccfv {num_classes, layers:[{name, cases:[{features, labels}]}]}
                                                        -> ccfv_official(_layers), ccfv_official_symmetric_sqrtm,
                                                           ccfv_paper(_layers), ccfv_paper_unit_sphere,
                                                           w2_layer0_class1_case0_case1
    pixel {source_probs n×H×W×Cs, labels n×H×W, target_probs n×H×W×Ct}
                                                        -> pixel_leep, pixel_leep_map, risk_map_image,
                                                           risk_map_dataset, risk_weighted_ce_image,
                                                           risk_weighted_ce_dataset, pixel_ce, foreground_pixels
    <name>: {x: [...], y: [...]}  (any key)             -> <name>: {weighted_kendall_tau, pearson}
    theta, x_train, y_train, x_val, y_val, lrs, eta     -> paper, official (one MetaLR iteration)
    update_rule_only                                    -> update_rule_only
  Use "-" as FILE to read standard input.
  Output: stdout carries exactly one JSON object and nothing else (an undefined value, NaN, prints as null).
  Warnings (remapped labels, rank-deficient covariances, undefined scores) go to stderr.

rank options
  --case-unit slice|slab|volume   what a case is (default slice; CC-FV compares cases pairwise)
  --slab-size N                   slices per slab (default 4)
  --axis 0|1|2                    slice axis of the volume (default 2)
  --slices 3,9,15                 labelled slices to use as cases (default: every slice with foreground)
  --sampling official|proportional  per-class sample caps per layer (official) or proportional to class size
  --seed N                        seed of every random choice (default 0): same seed, same report
  --resamples N                   bootstrap resamples over cases for the 95% intervals (default 200)
  --dice FILE                     fine-tuned Dice (JSON or CSV "model,dice,...") -> weighted tau and Pearson
  --embedding-points N            features kept per model for t-SNE (default 2000, at most 10000)
  --roi-size 64,64,64             sliding-window roi (D,H,W) for 3-D models (MONAI's roiSize)
  --with-3d                       (--demo) also run the bank's 3-D CT model (sample-first sliding window)
  --out FILE                      write the report there instead of stdout
  --quiet                         no progress on stderr
  The report follows docs/report-schema.md: report.studies[] = {target, models: [{id, scores: {<key>: {value, ci}}}]}.

  Exit status: 0 on success; 1 on an error (message on stderr, naming the input and the problem); 2 on bad usage.
`;
