// Vite config: the SPA, module workers, and the COOP/COEP pair that lets onnxruntime-web use threads.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { viteStaticCopy } from 'vite-plugin-static-copy';
import { demoCatalogPlugin } from './tools/vite/demoCatalog.ts';

const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

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
  plugins: [react(), itkPipelines, demoCatalogPlugin()],
  worker: { format: 'es' },
  optimizeDeps: { exclude: ['onnxruntime-web'] },
  server: { headers: isolation },
  preview: { headers: isolation, port: 4173, strictPort: true },
  build: { target: 'es2022', chunkSizeWarningLimit: 4096 },
});
