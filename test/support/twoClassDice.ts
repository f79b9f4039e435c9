// Dice of class 1 from a 2-class model's logits, computed here from the raw numbers (an independent check of the Dice
// the fine-tuning engine reports): logits [k, 2, size] for cases `cases` of a case-major label array.
export function twoClassDice(logits: Float32Array, labels: ArrayLike<number>, cases: number[], size: number): number {
  let inter = 0, pred = 0, truth = 0;
  cases.forEach((c, i) => {
    for (let p = 0; p < size; p++) {
      const fg = logits[(i * 2 + 1) * size + p] > logits[i * 2 * size + p], y = labels[c * size + p] === 1;
      pred += +fg; truth += +y; inter += +(fg && y);
    }
  });
  return (2 * inter) / (pred + truth);
}
