import { lazy, Suspense } from 'react';
import type { ComponentProps } from 'react';
import type { LineageView as LoadedLineageView } from './LineageView';

// React Flow and the lineage view load on first use, not with the app's first page.
const LineageViewChunk = lazy(() => import('./LineageView').then((module) => ({ default: module.LineageView })));

export function LineageView(props: ComponentProps<typeof LoadedLineageView>) {
  return (
    <Suspense
      fallback={
        <section className="panel">
          <h1 tabIndex={-1}>Lineage</h1>
          <p className="muted">Loading the lineage view…</p>
        </section>
      }
    >
      <LineageViewChunk {...props} />
    </Suspense>
  );
}
