// A benchmark case: `setup` builds seeded synthetic inputs (not timed), `run` is timed.
export interface BenchCase<Ctx = unknown> {
  /** Estimator or function name, e.g. "logme_fixed_point" or "ccfv_official". */
  name: string;
  /** Free-form parameters shown with the figure, e.g. { N: 10000, D: 128, C: 4 }. */
  params: Record<string, number | string>;
  setup: () => Ctx | Promise<Ctx>;
  run: (ctx: Ctx) => unknown;
  /** Releases what setup started (servers, browsers). */
  teardown?: (ctx: Ctx) => unknown;
  /** Repetitions for the median (default 5; slow cases use fewer). */
  repeats?: number;
}
