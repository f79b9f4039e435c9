// Lint: typescript-eslint's recommended rules plus the one-way imports of docs/architecture.md
// (core <- adapters <- workers/cli <- app). src/core stays pure: no host, UI or runtime libraries.
import tseslint from 'typescript-eslint';

const hostLibraries = ['react', 'react-dom', 'react/*', 'zustand', 'zustand/*', 'onnxruntime-*', 'onnxruntime-web/*',
  'itk-wasm', '@itk-wasm/*', 'plotly.js*', '@niivue/*', 'comlink', 'node:*', 'fs', 'path', 'os', 'child_process'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'public/**', 'tools/bank/.cache/**', 'test-results/**', 'playwright-report/**', '.scratch/**', '**/*.tmp.ts', 'dev-dist/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/core/**/*.ts'],
    ignores: ['src/core/**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: hostLibraries, message: 'src/core is pure TypeScript: hosts and UI enter through ports (src/core/ports.ts).' },
          { group: ['**/app/**', '**/adapters/**', '**/workers/**', '**/cli/**'], message: 'Imports point one way: core <- adapters <- workers/cli <- app.' },
        ],
      }],
    },
  },
  {
    files: ['src/adapters/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ group: ['**/app/**', '**/workers/**', '**/cli/**', 'react', 'zustand'], message: 'Adapters implement core ports and know no host above them.' }],
      }],
    },
  },
  {
    files: ['src/workers/**/*.ts', 'src/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ group: ['**/app/**', 'react', 'zustand'], message: 'Workers and the CLI are hosts around core; they never import the app.' }],
      }],
    },
  },
);
