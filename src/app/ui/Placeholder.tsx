// Placeholder body for an area that is not built yet: says so plainly and shows no invented data.
// Generic UI: the caller supplies the wording.
import type { ReactNode } from 'react';

export function Placeholder({ children }: { children: ReactNode }) {
  return (
    <div className="placeholder" role="note">
      <p className="placeholder__lead">Not built yet: this area computes and shows nothing so far.</p>
      <p>{children}</p>
    </div>
  );
}
