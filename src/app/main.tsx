// Browser entry point: mounts the React app and records the browser facts the store needs.
// Loaded by index.html; nothing here computes, and nothing is fetched from another origin.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { appStore } from './state/store.ts';
import './styles.css';
import './testApi.ts'; // window.__transferlens: the e2e tests' entry to the analysis worker
import { autoDemo } from './autoDemo.ts';

appStore.getState().setCrossOriginIsolated(globalThis.crossOriginIsolated === true);

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);

void autoDemo(location.search);
