// Collects the ArrayBuffers behind typed arrays in a message, so postMessage/Comlink transfers them instead of
// copying (architecture §4: "`data` is detached after this call"). Shared buffers are never listed.

export function transferablesOf(value: unknown, out: Set<ArrayBuffer> = new Set(), seen: Set<object> = new Set()): ArrayBuffer[] {
  walk(value, out, seen);
  return [...out];
}

function walk(value: unknown, out: Set<ArrayBuffer>, seen: Set<object>): void {
  if (value === null || typeof value !== 'object' || seen.has(value)) return;
  seen.add(value);
  if (ArrayBuffer.isView(value)) {
    // Only a view that owns its whole buffer: a part of a bigger one (a wasm heap, a pooled buffer) is copied.
    const b = value.buffer;
    if (b instanceof ArrayBuffer && b.byteLength > 0 && value.byteOffset === 0 && value.byteLength === b.byteLength) out.add(b);
    return;
  }
  if (value instanceof ArrayBuffer) {
    if (value.byteLength > 0) out.add(value);
    return;
  }
  if (Array.isArray(value)) {
    // Plain number arrays (the report's embeddings) hold nothing to transfer: skip them cheaply.
    if (value.length > 0 && typeof value[0] !== 'object') return;
    for (const v of value) walk(v, out, seen);
    return;
  }
  for (const v of Object.values(value)) walk(v, out, seen);
}
