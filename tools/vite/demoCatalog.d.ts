// Type of the `virtual:demo-catalog` module (tools/vite/demoCatalog.ts).
declare module 'virtual:demo-catalog' {
  import type { ModelManifest } from '../../src/core/types.ts';
  interface DemoTargetJson {
    id: string; name: string; class_names: string[]; num_classes: number; normalization: string;
    slice_axis: 0 | 1 | 2; train_slices: number[]; eval_slices: number[]; task_slices?: number[]; labels_are_derived?: boolean; [k: string]: unknown;
  }
  const catalog: {
    models: { manifest: ModelManifest; url: string }[];
    targets: { target: DemoTargetJson; imageUrl: string; labelUrl: string }[];
    dice: { targets: Record<string, Record<string, { dice: number[]; mean: number; sd: number }>> } | null;
    notice: string | null;
  };
  export default catalog;
}
