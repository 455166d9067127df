// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen, within } from '@testing-library/react';
import { assembleForeignReport } from '../../../shared/verify/foreign/foreign-report';
import type { SubjectCheck } from '../../../shared/verify/report';
import { ForeignReviewScreen } from './ForeignReview';

afterEach(cleanup);

const RLO = '\u202e';
const changed: SubjectCheck = {
  name: `weights${RLO}nib.bin`,
  kind: null,
  digest: { sha256: 'a'.repeat(64) },
  blobPath: null,
  size: 12,
  status: 'mismatch',
  expectedSha256: 'a'.repeat(64),
  actualSha256: 'b'.repeat(64),
  reason: 'weights differ',
};

/** An OMS report as the verifier assembles it: a key nobody trusts, one file changed, one extra file, names chosen by the sender. */
function untrustedTamperedReport() {
  return assembleForeignReport({
    format: 'oms',
    target: { path: '/models/fraud-model', container: 'directory', fileCount: 3, signaturePath: '/models/fraud-model/model.sig' },
    signatures: [{ index: 0, keyIdHint: `ci${RLO}key`, keyId: null, signerName: null, trustSource: null, status: 'unknown-key', reason: 'No trusted key verifies this signature.' }],
    subjects: [changed, { ...changed, name: 'config.json', status: 'ok', actualSha256: 'a'.repeat(64), reason: 'matches' }],
    unexpectedFiles: ['notes.txt'],
    unexpectedFilesFail: true,
    findings: [],
    trust: { source: 'store', anchors: [], trustedKeyCount: 0, threshold: 1 },
    now: new Date('2026-12-01T00:00:00Z'),
  });
}

describe('ForeignReviewScreen', () => {
  it('shows the verdict, that the key the signature brings is not trusted, and the changed and extra files with outside names neutralised', () => {
    render(<ForeignReviewScreen report={untrustedTamperedReport()} foreign={{ format: 'oms', signaturePath: '/models/fraud-model/model.sig' }} onVerifyAgain={() => {}} />);
    expect(within(screen.getByRole('status', { name: 'Verdict' })).getByRole('heading', { level: 2 }).textContent).toContain('Tampered');
    const signers = screen.getByRole('list', { name: 'Signers' });
    expect(signers.textContent).toContain('The key the bundle brings is not trusted');
    expect(signers.textContent).toContain('Trust sourcenone');
    const files = screen.getByRole('table', { name: 'Files' });
    const changedRow = within(files).getAllByRole('row').find((row) => row.textContent?.includes('Changed'));
    expect(changedRow?.textContent).toContain(`expected sha256 ${'a'.repeat(64)}`);
    expect(changedRow?.textContent).toContain(`actual sha256 ${'b'.repeat(64)}`);
    expect(files.textContent).toContain('Extra file');
    expect(files.textContent).toContain('notes.txt');
    // Names from the signature and the folder are shown as marked tokens, never obeyed.
    expect(document.body.textContent).not.toContain(RLO);
    expect(screen.getByRole('region', { name: 'Board review' }).textContent).toContain('not available for an OMS model signature');
  });
});
