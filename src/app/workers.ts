// The app's workers, created on first use: the analysis worker (studies, through AnalysisClient) and the tools
// worker (file checks on arrival, manifest proposals, risk maps), plus the t-SNE workers made per view.
import * as Comlink from 'comlink';
import { AnalysisClient } from '../workers/analysisClient.ts';
import type { ToolsWorkerApi } from '../workers/tools.worker.ts';

export const analysisClient = new AnalysisClient();

let tools: Comlink.Remote<ToolsWorkerApi> | null = null;

export function toolsWorker(): Comlink.Remote<ToolsWorkerApi> {
  if (!tools) {
    const w = new Worker(new URL('../workers/tools.worker.ts', import.meta.url), { type: 'module', name: 'transferlens-tools' });
    tools = Comlink.wrap<ToolsWorkerApi>(w);
  }
  return tools;
}
