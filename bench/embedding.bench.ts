// Benchmarks of the Barnes-Hut t-SNE (src/core/embedding, issue 5 item 5) on seeded 64-D Gaussian clusters:
// the affinities alone (exact kNN + perplexity search) and full 1 000-iteration runs at 2 000 and 10 000 points.
// Each full run fills params.quality (10-NN neighbourhood score; shown by --json) and prints it on stderr.
// scikit-learn side by side (one thread, same data): `npx tsx bench/tsneVsSklearn.ts`.
import type { BenchCase } from './types.ts';
import { jointProbabilities } from '../src/core/embedding/affinities.ts';
import { gaussianClusters, type Clusters } from '../src/core/embedding/gaussianClusters.ts';
import { neighbourhoodScore } from '../src/core/embedding/neighbourhoodScore.ts';
import { createTsne } from '../src/core/embedding/tsne.ts';

const DIM = 64, CLUSTERS = 10, ITERATIONS = 1000;

const affinitiesCase = (n: number): BenchCase<Clusters> => ({
  name: 'tsne_affinities',
  params: { N: n, D: DIM, perplexity: 30, knn: 'exact' },
  setup: () => gaussianClusters(n, DIM, CLUSTERS, 1),
  run: (c) => jointProbabilities(c.points, c.n, c.dim, 30),
  repeats: 3,
});

const tsneCase = (n: number, repeats: number): BenchCase<Clusters> => {
  const params: Record<string, number | string> = { N: n, D: DIM, clusters: CLUSTERS, iterations: ITERATIONS, theta: 0.5, quality: 'see stderr' };
  return {
    name: 'tsne_barnes_hut',
    params,
    setup: () => gaussianClusters(n, DIM, CLUSTERS, 1),
    run: (c) => {
      const t = createTsne(c.points, c.n, c.dim, { seed: 1, iterations: ITERATIONS });
      while (!t.done) t.step(50);
      const quality = neighbourhoodScore(t.embedding(), c.labels, 10);
      params.quality = Number(quality.toFixed(4));
      process.stderr.write(`  tsne_barnes_hut N=${n}: neighbourhood score ${quality.toFixed(4)} (10-NN, 1 = perfect, 0.1 = chance), KL estimate ${t.klDivergence.toFixed(4)}\n`);
      return quality;
    },
    repeats,
  };
};

export const cases: BenchCase[] = [
  affinitiesCase(10000) as BenchCase,
  tsneCase(2000, 3) as BenchCase,
  tsneCase(10000, 1) as BenchCase,
];
