import { describe, expect, it } from 'vitest';
import type { VerificationReport } from '../../../shared/verify/report';
import { nodeAriaLabel, subjectStateOf, subjectVerdictsOf } from './node-status';

function reportOf(verdict: VerificationReport['verdict'], subjects: [string, 'ok' | 'mismatch' | 'not-checked'][]): VerificationReport {
  return { verdict, subjects: subjects.map(([name, status]) => ({ name, status })) } as unknown as VerificationReport;
}

describe('subjectStateOf', () => {
  const verified = subjectVerdictsOf(reportOf('verified', [['model/m.onnx', 'ok'], ['data/q1.parquet', 'not-checked']]));
  const tampered = subjectVerdictsOf(reportOf('tampered', [['model/m.onnx', 'mismatch'], ['data/q1.parquet', 'ok']]));

  it('joins a node to its subject in the verification report', () => {
    expect(subjectStateOf('model/m.onnx', verified)).toBe('verified');
    expect(subjectStateOf('data/q1.parquet', verified)).toBe('not-checked');
    expect(subjectStateOf('model/m.onnx', tampered)).toBe('failed');
    expect(subjectStateOf('elsewhere.bin', verified)).toBe('not-in-manifest');
  });

  it('never calls a matching digest verified when the release itself did not verify', () => {
    expect(subjectStateOf('data/q1.parquet', tampered)).toBe('digest-matches');
  });

  it('says when there is no subject, or no finished verification yet', () => {
    expect(subjectStateOf(null, verified)).toBe('none');
    expect(subjectStateOf('model/m.onnx', null)).toBe('pending');
    expect(subjectVerdictsOf(null)).toBeNull();
  });
});

describe('nodeAriaLabel', () => {
  it('names the node, its kind, its subject and its place relative to the selection', () => {
    expect(nodeAriaLabel({ name: 'model m92', kind: 'model' }, 'verified', 'no-selection')).toBe('model m92, model, subject verified');
    expect(nodeAriaLabel({ name: 'model m92', kind: 'model' }, 'failed', 'downstream')).toBe('model m92, model, subject failed verification, downstream of the selection');
    expect(nodeAriaLabel({ name: 'production', kind: 'deployment' }, 'none', 'selected')).toBe('production, deployment, selected');
  });
});
