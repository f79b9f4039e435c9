// Runs the validation table of the shown study off the main thread (tools worker `validate`: the CLI's
// `transferlens validate` path for this target) whenever the study or its Dice changes; stale answers are dropped.
import { useEffect, useState } from 'react';
import type { StudyReport } from '../../../core/pipeline/report.ts';
import type { StudyValidationTable } from '../../../core/validation/studyTable.ts';
import { toolsWorker } from '../../workers.ts';

export type ValidationState =
  | { status: 'none' }
  | { status: 'running' }
  | { status: 'done'; table: StudyValidationTable | null }
  | { status: 'error'; message: string };

/** The study without what validation never reads (the t-SNE feature sample): a quarter of the bytes to clone. */
function withoutEmbedding(study: StudyReport): StudyReport {
  return { ...study, models: study.models.map((m) => ({ ...m, embedding: { layer: m.embedding.layer, features: [], labels: [], cases: [] } })) };
}

export function useValidationTable(study: StudyReport): ValidationState {
  const [state, setState] = useState<ValidationState>({ status: 'none' });
  useEffect(() => {
    const dice = study.dice;
    if (!dice || Object.keys(dice).length === 0) { setState({ status: 'none' }); return; }
    let live = true;
    setState({ status: 'running' });
    toolsWorker().validate(withoutEmbedding(study), dice, { resamples: 200, seed: 0 }).then(
      (r) => { if (live) setState(r.ok ? { status: 'done', table: r.table } : { status: 'error', message: r.error.message }); },
      (e: unknown) => { if (live) setState({ status: 'error', message: (e as Error).message }); },
    );
    return () => { live = false; };
  }, [study]);
  return state;
}
