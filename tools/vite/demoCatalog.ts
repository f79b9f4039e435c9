// Vite plugin: the virtual module `virtual:demo-catalog` lists the bundled demo bank at build time (model
// manifests, targets, fine-tuned Dice) so the app knows what to fetch from its own origin without an index request.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Plugin } from 'vite';

const ID = 'virtual:demo-catalog';

export function demoCatalogPlugin(root = process.cwd()): Plugin {
  return {
    name: 'transferlens-demo-catalog',
    resolveId: (id) => (id === ID ? `\0${ID}` : null),
    load(id) {
      if (id !== `\0${ID}`) return null;
      return `export default ${JSON.stringify(buildCatalog(join(root, 'public', 'demo')))};`;
    },
  };
}

export function buildCatalog(dir: string) {
  const models = existsSync(join(dir, 'models'))
    ? readdirSync(join(dir, 'models')).filter((f) => f.endsWith('.json') && f !== 'index.json').sort().map((f) => {
      const manifest = JSON.parse(readFileSync(join(dir, 'models', f), 'utf8'));
      return { manifest, url: `demo/models/${manifest.file ?? f.replace(/\.json$/, '.onnx')}` };
    }) : [];
  const targets = existsSync(join(dir, 'targets'))
    ? readdirSync(join(dir, 'targets')).sort().filter((t) => existsSync(join(dir, 'targets', t, 'target.json'))).map((t) => {
      const target = JSON.parse(readFileSync(join(dir, 'targets', t, 'target.json'), 'utf8'));
      return { target, imageUrl: `demo/targets/${t}/${target.image_file ?? 'image.nii.gz'}`, labelUrl: `demo/targets/${t}/${target.label_file ?? 'label.nii.gz'}` };
    }) : [];
  const dicePath = join(dir, 'finetune-dice.json');
  const dice = existsSync(dicePath) ? JSON.parse(readFileSync(dicePath, 'utf8')) : null;
  return { models, targets, dice, notice: existsSync(join(dir, 'NOTICE')) ? 'demo/NOTICE' : null };
}
