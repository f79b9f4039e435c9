// The t-SNE worker (issue 5 item 5): a shell exposing the embedding API; one per t-SNE panel so two models'
// embeddings compute side by side without blocking the page or the analysis worker.
import * as Comlink from 'comlink';
import { createEmbeddingApi } from './embedding.worker-api.ts';

const exposed = createEmbeddingApi();
export type EmbeddingWorkerApi = typeof exposed;

Comlink.expose(exposed, self as unknown as Comlink.Endpoint);
