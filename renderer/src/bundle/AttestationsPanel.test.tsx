// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen, within } from '@testing-library/react';
import type { AttestationCheck } from '../../../shared/verify/report';
import { AttestationsPanel } from './AttestationsPanel';

afterEach(cleanup);

const provenance: AttestationCheck = {
  path: 'attestations/provenance.dsse.json',
  format: 'dsse',
  predicateType: 'https://slsa.dev/provenance/v1',
  signer: 'release CI',
  keyId: 'SHA256:ci',
  trustSource: 'producer',
  status: 'tampered',
  reasons: [`The provenance was built from commit ${'a'.repeat(40)}, but the manifest's code subject pins ${'b'.repeat(40)}.`],
  bindings: [{ name: 'fraud-m92.onnx', digest: { sha256: 'c'.repeat(64) }, manifestSubject: 'model/fraud-m92.onnx', status: 'bound', reason: 'Equal.' }],
  provenance: { commits: ['a'.repeat(40)], codeCommits: ['b'.repeat(40)], status: 'differs' },
};

describe('AttestationsPanel', () => {
  it('shows each attestation with its status, signer, trust, subject bindings and both commits', () => {
    render(<AttestationsPanel attestations={[provenance, { ...provenance, path: 'attestations/other.json', format: null, predicateType: null, signer: null, keyId: null, trustSource: null, status: 'invalid', reasons: ['Not a signature.'], bindings: [], provenance: null }]} />);
    const items = within(screen.getByRole('list', { name: 'Attestations' })).getAllByRole('listitem').filter((item) => item.parentElement?.getAttribute('aria-label') === 'Attestations');
    expect(items).toHaveLength(2);
    expect(items[0]!.textContent).toContain('Tampered');
    expect(items[0]!.textContent).toContain('release CI');
    expect(items[0]!.textContent).toContain('producer');
    expect(items[0]!.textContent).toContain('fraud-m92.onnx → model/fraud-m92.onnx');
    expect(items[0]!.textContent).toContain('different commit');
    expect(items[0]!.textContent).toContain('b'.repeat(40));
    expect(items[1]!.textContent).toContain('not recognised');
    expect(items[1]!.textContent).toContain('not trusted');
  });

  it('renders nothing for a bundle without attestations', () => {
    const { container } = render(<AttestationsPanel attestations={undefined} />);
    expect(container.textContent).toBe('');
  });
});
