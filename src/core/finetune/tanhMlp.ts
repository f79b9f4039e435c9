// A 2-layer tanh MLP (logits = tanh(x W1 + b1) W2 [+ b2]) with mean softmax cross-entropy and a
// hand-written backward pass: the model of the MetaLR reference vector (spec §12).

/** Parameters, row-major: W1 D×H, b1 H, W2 H×C, optional b2 C. */
export interface MlpParams { d: number; h: number; c: number; W1: Float64Array; b1: Float64Array; W2: Float64Array; b2?: Float64Array }

export interface LossAndGrad { loss: number; grad: MlpParams }

function zerosLike(p: MlpParams): MlpParams {
  return { d: p.d, h: p.h, c: p.c, W1: new Float64Array(p.W1.length), b1: new Float64Array(p.b1.length), W2: new Float64Array(p.W2.length), b2: p.b2 ? new Float64Array(p.b2.length) : undefined };
}

/** Mean cross-entropy over the batch and its exact gradient. x: n×D row-major, y: n class ids. */
export function mlpLossAndGrad(p: MlpParams, x: Float64Array, y: ArrayLike<number>): LossAndGrad {
  const { d, h, c } = p, n = y.length;
  const g = zerosLike(p);
  const a = new Float64Array(h), logits = new Float64Array(c), dl = new Float64Array(c), dz = new Float64Array(h);
  let loss = 0;
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < h; k++) {
      let s = p.b1[k];
      for (let j = 0; j < d; j++) s += x[i * d + j] * p.W1[j * h + k];
      a[k] = Math.tanh(s);
    }
    let mx = -Infinity;
    for (let m = 0; m < c; m++) {
      let s = p.b2 ? p.b2[m] : 0;
      for (let k = 0; k < h; k++) s += a[k] * p.W2[k * c + m];
      logits[m] = s;
      if (s > mx) mx = s;
    }
    let z = 0;
    for (let m = 0; m < c; m++) z += Math.exp(logits[m] - mx);
    const lse = mx + Math.log(z);
    loss += lse - logits[y[i]];
    // ∂(mean CE)/∂logits = (softmax − onehot)/n
    for (let m = 0; m < c; m++) dl[m] = (Math.exp(logits[m] - lse) - (m === y[i] ? 1 : 0)) / n;
    for (let k = 0; k < h; k++) {
      let s = 0;
      for (let m = 0; m < c; m++) {
        g.W2[k * c + m] += a[k] * dl[m];
        s += dl[m] * p.W2[k * c + m];
      }
      dz[k] = s * (1 - a[k] * a[k]);
      g.b1[k] += dz[k];
    }
    if (g.b2) for (let m = 0; m < c; m++) g.b2[m] += dl[m];
    for (let j = 0; j < d; j++) for (let k = 0; k < h; k++) g.W1[j * h + k] += x[i * d + j] * dz[k];
  }
  return { loss: loss / n, grad: g };
}

/** Parameter tensors in a fixed order (W1, b1, W2, b2?) with their names. */
export function mlpTensors(p: MlpParams): [string, Float64Array][] {
  const t: [string, Float64Array][] = [['W1', p.W1], ['b1', p.b1], ['W2', p.W2]];
  if (p.b2) t.push(['b2', p.b2]);
  return t;
}

/** p + Σ_t scale_t · q_t per tensor, scale given per tensor name. */
export function mlpAxpy(p: MlpParams, q: MlpParams, scale: (name: string) => number): MlpParams {
  const out = zerosLike(p);
  const po = mlpTensors(p), qo = mlpTensors(q), oo = mlpTensors(out);
  po.forEach(([name, pv], t) => {
    const s = scale(name), qv = qo[t][1], ov = oo[t][1];
    for (let i = 0; i < pv.length; i++) ov[i] = pv[i] + s * qv[i];
  });
  return out;
}
