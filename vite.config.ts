// Vite config: the SPA, module workers, and the COOP/COEP pair that lets onnxruntime-web use threads.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { viteStaticCopy } from 'vite-plugin-static-copy';
import { demoCatalogPlugin } from './tools/vite/demoCatalog.ts';
import { VitePWA } from 'vite-plugin-pwa';
import { CONTENT_SECURITY_POLICY, cspPlugin } from './tools/vite/csp.ts';

const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};
// The same policy as index.html's <meta>, also as a header so it covers the workers (issue 5 item 9).
const headers = { ...isolation, 'Content-Security-Policy': CONTENT_SECURITY_POLICY };

// Offline (issue 5 item 8; browser-stack §8): precache the app, the ORT/itk wasm and the demo bank. Workbox's
// default 2 MiB limit would silently drop the 28 MB ORT wasm and the models, hence the raised limit;
// e2e/workbench-offline.spec.ts checks the entry count. Cached responses keep their COOP/COEP headers.
export const PRECACHE_GLOBS = ['**/*.{html,js,mjs,css,wasm,zst,onnx,gz,json,webmanifest}', 'demo/NOTICE'];
const pwa = VitePWA({
  registerType: 'autoUpdate',
  injectRegister: 'script',
  manifest: { name: 'TransferLens', short_name: 'TransferLens', description: 'Rank pre-trained segmentation models by transferability, privately in your browser.', start_url: '.', display: 'standalone', background_color: '#f7f8fa', theme_color: '#1f6feb', icons: [] },
  workbox: {
    globPatterns: PRECACHE_GLOBS,
    globIgnores: ['**/*-write-image.*', 'demo/reference/**'],
    maximumFileSizeToCacheInBytes: 64 * 1024 * 1024,
    navigateFallback: 'index.html',
    cleanupOutdatedCaches: true,
    clientsClaim: true,
    skipWaiting: true,
  },
});

// itk-wasm pipelines served from our own origin, never the jsDelivr default (browser-stack §4.1): only the readers
// the analysis worker uses (src/adapters/itkBrowserReader.ts points setPipelinesBaseUrl at these folders).
const itkImageIo = 'node_modules/@itk-wasm/image-io/dist/pipelines';
const itkPipelines = viteStaticCopy({
  targets: [
    { src: ['nrrd', 'meta', 'gdcm'].map((f) => `${itkImageIo}/${f}-read-image.{js,wasm,wasm.zst}`), dest: 'itk/image-io', rename: { stripBase: true } },
    { src: 'node_modules/@itk-wasm/dicom/dist/pipelines/read-image-dicom-file-series.{js,wasm,wasm.zst}', dest: 'itk/dicom', rename: { stripBase: true } },
  ],
});

export default defineConfig({
  plugins: [react(), itkPipelines, demoCatalogPlugin(), cspPlugin(), pwa],
  worker: { format: 'es' },
  optimizeDeps: { exclude: ['onnxruntime-web'] },
  server: { headers: isolation },
  preview: { headers, port: 4173, strictPort: true },
  build: { target: 'es2022', chunkSizeWarningLimit: 4096 },
});
