// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen, within } from '@testing-library/react';
import { summariseRelease } from '../../../shared/review/release-summary';
import type { ManifestSummary } from '../../../shared/verify/report';
import { ReleaseSummaryPanel } from './ReleaseSummaryPanel';

afterEach(cleanup);

const RLO = '\u202e';

/** A manifest whose author-controlled strings try to reorder the page (a right-to-left override) and add a field no version knows. */
function hostileManifest(): ManifestSummary {
  return {
    digest: 'a'.repeat(64),
    releaseName: `fraud${RLO}exe.onnx`,
    releaseVersion: 'm92',
    predicateType: 'https://countersign.dev/release/v1',
    understood: true,
    createdBy: 'SHA256:author',
    createdAt: '2026-11-01T12:00:00Z',
    unknownFields: ['$.predicate.ticket'],
    statement: {
      predicate: {
        environment: { seed: 42, git: { dirty: true } },
        evaluation: { metrics: { auc: 0.93 } },
        ticket: `RISK-1${RLO}18`,
      },
    },
  };
}

describe('ReleaseSummaryPanel', () => {
  it('shows the dirty tree, the metrics and an unknown field as unknown, with outside strings neutralised', () => {
    const summary = summariseRelease(hostileManifest(), [{ name: 'model.onnx', kind: 'model', digest: { sha256: 'b'.repeat(64) }, status: 'ok' }], 'training CI');
    render(<ReleaseSummaryPanel summary={summary} />);
    const region = screen.getByRole('region', { name: 'Release summary' });
    expect(region.textContent).toContain('uncommitted changes (dirty)');
    expect(region.textContent).toContain('auc: 0.93');
    expect(region.textContent).toContain('training CI');
    expect(region.textContent).toContain('1 model');
    // The override is shown as a marked token, never as the character itself.
    expect(region.textContent).not.toContain(RLO);
    expect(region.querySelectorAll('.outside-mark').length).toBeGreaterThanOrEqual(2);
    const row = within(screen.getByRole('table', { name: 'Other fields' })).getByRole('row', { name: /ticket/ });
    expect(row.textContent).toContain('Unknown field: shown, not checked');
  });
});
