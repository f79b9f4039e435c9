// The app's Content-Security-Policy (issue 5 item 9): no connection, script, worker, image or font from any other
// origin. 'wasm-unsafe-eval' lets ORT/itk compile their wasm; 'unsafe-eval' is for plotly's WebGL (regl generates
// code); inline styles for plotly/NiiVue; blob: for object URLs (NiiVue loads scans from them, downloads).
import type { Plugin } from 'vite';

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval' 'unsafe-eval' blob:",
  "worker-src 'self' blob:",
  "connect-src 'self' blob: data:",
  "img-src 'self' blob: data:",
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self' data:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'none'",
].join('; ');

/** Puts the policy in the built index.html as a <meta> (build only: the dev server's HMR preamble is inline). */
export function cspPlugin(): Plugin {
  return {
    name: 'transferlens-csp',
    apply: 'build',
    transformIndexHtml: () => [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY }, injectTo: 'head-prepend' }],
  };
}
