// The privacy statement of the shell, and the one browser fact behind it that the page can check itself.
// The statement is backed by e2e/shell.spec.ts, which fails on any request leaving the app's origin.
import { useAppStore } from '../../state/store.ts';

export function PrivacyNote() {
  const localOnly = useAppStore((s) => s.localOnly);
  const isolated = useAppStore((s) => s.crossOriginIsolated);
  return (
    <aside className="privacy" aria-labelledby="privacy-title">
      <h2 id="privacy-title">Your data stays here</h2>
      {localOnly && (
        <p>
          Everything runs in this browser tab. TransferLens requests nothing beyond the site that served it: no
          fonts, no analytics, no remote models. Scans and models you load will never be uploaded.
        </p>
      )}
      <p className="privacy__fact" data-testid="isolation-status">
        Multi-threaded computation:{' '}
        {isolated === null ? 'checking…' : isolated ? 'available (page is cross-origin isolated)' : 'not available (page is not cross-origin isolated; work will run on one thread)'}
      </p>
    </aside>
  );
}
