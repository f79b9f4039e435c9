// Tests of the app store's slices and the workflow list they refer to (plain Node, no DOM).
// Checks the data-flow order of the areas, the initial state, and that selecting an area is recorded.
import { describe, expect, it } from 'vitest';
import { createAppStore } from './store.ts';
import { WORKFLOW_STEPS, stepById } from '../features/workflow/steps.ts';

describe('workflow steps', () => {
  it('lists the areas in data-flow order', () => {
    expect(WORKFLOW_STEPS.map((s) => s.id)).toEqual(['load', 'run', 'ranking', 'te-vs-dice', 'tsne', 'risk-map']);
  });

  it('marks every area as available now that the workbench computes them', () => {
    expect(WORKFLOW_STEPS.filter((s) => s.status !== 'available')).toEqual([]);
  });

  it('rejects an unknown id', () => {
    expect(() => stepById('nope' as never)).toThrow(/Unknown workflow step/);
  });
});

describe('app store', () => {
  it('starts at the first area, promises local-only work and has not yet checked isolation', () => {
    const s = createAppStore().getState();
    expect(s.activeStep).toBe('load');
    expect(s.localOnly).toBe(true);
    expect(s.crossOriginIsolated).toBeNull();
    expect(s.runOptions).toMatchObject({ seed: 0, caseUnit: 'slice', sampling: 'official', resamples: 200, embeddingPoints: 2000 });
    expect([s.models, s.targets, s.report]).toEqual([[], [], null]);
  });

  it('keeps a valid model when an item with the same id arrives broken only if the loader says so; upserts by id', () => {
    const a = createAppStore();
    a.getState().upsertModel({ id: 'm', fileName: 'm.onnx', source: 'user', status: 'ok', problems: [] });
    a.getState().upsertModel({ id: 'm', fileName: 'm.onnx', source: 'user', status: 'ok', problems: ['x'] });
    expect(a.getState().models).toHaveLength(1);
    a.getState().upsertTarget({ id: 't', name: 't', source: 'user', status: 'ok', imageName: 'i', classNames: [], axis: 2, problems: [] });
    expect(a.getState().selectedTarget).toBe('t');
  });

  it('records the selected area and the isolation fact, each store on its own', () => {
    const a = createAppStore();
    const b = createAppStore();
    a.getState().selectStep('risk-map');
    a.getState().setCrossOriginIsolated(true);
    expect(a.getState().activeStep).toBe('risk-map');
    expect(a.getState().crossOriginIsolated).toBe(true);
    expect(b.getState().activeStep).toBe('load');
    expect(b.getState().crossOriginIsolated).toBeNull();
  });

  it('sends a model to the lab as a new request each time, even the same model again', () => {
    const a = createAppStore();
    expect(a.getState().labModel).toBeNull();
    a.getState().openInLab('m1');
    const first = a.getState().labModel;
    expect(first).toEqual({ id: 'm1' });
    a.getState().openInLab('m1');
    expect(a.getState().labModel).toEqual({ id: 'm1' });
    expect(a.getState().labModel).not.toBe(first); // the lab's effect fires again
  });
});
