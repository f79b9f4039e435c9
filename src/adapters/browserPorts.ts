// The browser worker's Ports (issue 4 §1, §3): NIfTI through the pure-JS reader, NRRD/MHA/DICOM through itk-wasm
// served from our origin, models through onnxruntime-web (WebGPU when an adapter exists), sha256 via SubtleCrypto.
import { TeError } from '../core/errors.ts';
import type { InputFile, Ports } from '../core/ports.ts';
import type { Volume } from '../core/types.ts';
import { isNiftiName, readNifti } from './niftiReader.ts';
import { readDicomSeriesBrowser, readItkBrowser, setItkPipelinesBase } from './itkBrowserReader.ts';
import { createOrtWebSession, type ProviderChoice } from './ortWebSession.ts';

export interface BrowserPortsOptions {
  /** Absolute URL of the app's base (where /itk/… is served), e.g. new URL(import.meta.env.BASE_URL, location.href). */
  appBase: string;
  /** Which ORT execution provider to use (default 'auto'). */
  providers?: ProviderChoice;
}

export async function readVolumeBrowser(files: InputFile[]): Promise<Volume> {
  if (files.length === 0) throw new TeError('invalid-input', 'no image file given');
  if (files.length > 1) return readDicomSeriesBrowser(files);
  const f = files[0];
  return isNiftiName(f.name) ? readNifti(f) : readItkBrowser(f);
}

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

export function browserPorts(opts: BrowserPortsOptions): Ports {
  setItkPipelinesBase(opts.appBase);
  return {
    readVolume: readVolumeBrowser,
    createSession: (model, o) => createOrtWebSession(model, { ...o, providers: opts.providers ?? 'auto' }),
    sha256: sha256Hex,
    now: () => performance.now(),
  };
}
