import { describe, it, expect } from 'vitest';
import type { DeploymentRow } from '../../../shared/api/contract';
import { digestText, noRowsText, visibleRows } from './deployment-rows';

const row = (subject: string, status: DeploymentRow['status'], reference: string | null = null): DeploymentRow => ({
  status,
  subject,
  kind: 'container',
  manifestDigest: { sha256: 'a'.repeat(64) },
  deployed: status === 'not-deployed' ? null : { name: subject, reference, digest: null, location: 'deployment.json $.artifacts[0]' },
  detail: '',
});

const ROWS = [row('model/fraud-m92.onnx', 'match'), row('registry.example.com/fraud/serve', 'mutable-reference', 'registry.example.com/fraud/serve:latest'), row('nginx', 'match'), row('redis', 'not-deployed')];

describe('visibleRows', () => {
  it('shows only changed rows by default and counts the unchanged ones hidden', () => {
    const { shown, hiddenUnchanged } = visibleRows(ROWS, { changesOnly: true, filter: '' });
    expect(shown.map((r) => r.subject)).toEqual(['registry.example.com/fraud/serve', 'redis']);
    expect(hiddenUnchanged).toBe(2);
  });

  it('shows every row when changes-only is off', () => {
    expect(visibleRows(ROWS, { changesOnly: false, filter: '' })).toEqual({ shown: ROWS, hiddenUnchanged: 0 });
  });

  it('filters by name, reference or status word, case-insensitively', () => {
    expect(visibleRows(ROWS, { changesOnly: false, filter: ':LATEST' }).shown.map((r) => r.subject)).toEqual(['registry.example.com/fraud/serve']);
    expect(visibleRows(ROWS, { changesOnly: false, filter: 'not deployed' }).shown.map((r) => r.subject)).toEqual(['redis']);
    expect(visibleRows(ROWS, { changesOnly: true, filter: 'model/' })).toEqual({ shown: [], hiddenUnchanged: 1 });
  });
});

describe('digestText', () => {
  it('prefers sha256 and says nothing for no digest', () => {
    expect(digestText({ sha512: 'b', sha256: 'a' })).toBe('sha256:a');
    expect(digestText({ gitCommit: 'c' })).toBe('gitCommit:c');
    expect(digestText(null)).toBeNull();
  });
});

describe('noRowsText', () => {
  it('says why the table is empty: nothing differs, the filter, or nothing to compare; never a bare "no row matches"', () => {
    const allMatch = [row('model/fraud-m92.onnx', 'match'), row('nginx', 'match')];
    expect(visibleRows(allMatch, { changesOnly: true, filter: '' }).shown).toEqual([]);
    expect(noRowsText(allMatch, { changesOnly: true, filter: '' })).toBe('Nothing differs: every deployed artifact has the digest the manifest pins.');
    expect(noRowsText(ROWS, { changesOnly: false, filter: ' postgres ' })).toBe('No row mentions "postgres".');
    expect(noRowsText(ROWS, { changesOnly: true, filter: 'postgres' })).toBe('No row mentions "postgres" among the changes.');
    expect(noRowsText([], { changesOnly: true, filter: '' })).toBe('Neither the manifest nor the deployment names an artifact to compare.');
  });
});
