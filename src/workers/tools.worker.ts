// The workbench's tools worker (issue 5 items 1, 6): a shell exposing the tools API (validation on arrival,
// manifest proposals, risk maps) with the browser ports, so file checks never block the page or a running study.
import * as Comlink from 'comlink';
import { readVolumeBrowser } from '../adapters/browserPorts.ts';
import { createOrtWebSession } from '../adapters/ortWebSession.ts';
import { setItkPipelinesBase } from '../adapters/itkBrowserReader.ts';
import { createToolsApi } from './tools.worker-api.ts';

setItkPipelinesBase(new URL(import.meta.env.BASE_URL, self.location.href).href);

const api = createToolsApi({
  readVolume: readVolumeBrowser,
  // Risk maps and inspection run on WASM: small jobs, and the same numbers as the CLI.
  createSession: (model, o) => createOrtWebSession(model, { ...o, providers: 'wasm' }),
});

const exposed = {
  ...api,
  async riskMap(...args: Parameters<typeof api.riskMap>) {
    const r = await api.riskMap(...args);
    return r.ok ? Comlink.transfer(r, [r.riskNifti.buffer as ArrayBuffer, r.outlineNifti.buffer as ArrayBuffer]) : r;
  },
};

export type ToolsWorkerApi = typeof exposed;

Comlink.expose(exposed, self as unknown as Comlink.Endpoint);
