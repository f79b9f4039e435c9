// Exposes internal tensors of an ONNX model as extra graph outputs WITHOUT decoding it (browser-stack §1.5):
// protobuf merges repeated fields, so appending ModelProto.graph(7){ GraphProto.output(12){ ValueInfoProto.name(1) } }
// to the file adds the outputs, loses no unknown fields and copies the model once.

function varint(n: number): number[] {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return out;
}

function field(tag: number, payload: number[]): number[] {
  return [...varint((tag << 3) | 2), ...varint(payload.length), ...payload];
}

/** UTF-8 bytes of a string (core has no TextEncoder type: it compiles against ES2022 only). */
function utf8(s: string): number[] {
  const out: number[] = [];
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return out;
}

/** Returns a new buffer: the model with `names` appended as (name-only) graph outputs. */
export function appendGraphOutputs(model: Uint8Array, names: string[]): Uint8Array {
  const outputs = names.flatMap((name) => field(12, field(1, utf8(name))));
  const tail = Uint8Array.from(field(7, outputs));
  const out = new Uint8Array(model.length + tail.length);
  out.set(model, 0);
  out.set(tail, model.length);
  return out;
}
