import { useId } from 'react';
import type { AttestationBinding, AttestationCheck } from '../../../shared/verify/report';
import { StatusBadge } from '../common/StatusBadge';
import { TRUST_SOURCE_WORDS, type StatusLook } from '../common/status-words';
import { OutsideText } from '../common/OutsideText';

const ATTESTATION_LOOK: Record<AttestationCheck['status'], StatusLook> = {
  verified: { word: 'Verified', icon: '✓', tone: 'good' },
  tampered: { word: 'Tampered', icon: '✗', tone: 'bad' },
  untrusted: { word: 'Untrusted', icon: '!', tone: 'warn' },
  invalid: { word: 'Invalid', icon: '⊘', tone: 'neutral' },
  unsupported: { word: 'Not checked', icon: '–', tone: 'neutral' },
};

const BINDING_LOOK: Record<AttestationBinding['status'], StatusLook> = {
  bound: { word: 'Bound', icon: '✓', tone: 'good' },
  mismatch: { word: 'Mismatch', icon: '✗', tone: 'bad' },
  unbound: { word: 'Not in manifest', icon: '✗', tone: 'bad' },
  missing: { word: 'Not signed', icon: '✗', tone: 'bad' },
};

const FORMAT_WORDS: Record<NonNullable<AttestationCheck['format']>, string> = {
  countersign: 'Countersign',
  oms: 'OpenSSF Model Signing',
  sigstore: 'Sigstore bundle',
  dsse: 'DSSE envelope',
  sshsig: 'SSH signature',
  'in-toto': 'in-toto metadata',
};

/** The bundle's attestations/ files: who signed each, whether the board trusts them, and what each binds to. Absent when there are none. */
export function AttestationsPanel({ attestations }: { attestations: readonly AttestationCheck[] | undefined }) {
  const headingId = useId();
  if (attestations === undefined || attestations.length === 0) return null;
  return (
    <section aria-labelledby={headingId} className="panel">
      <h2 id={headingId}>Attestations</h2>
      <ul aria-label="Attestations" className="card-list">
        {attestations.map((attestation) => (
          <AttestationItem key={attestation.path} attestation={attestation} />
        ))}
      </ul>
    </section>
  );
}

function AttestationItem({ attestation }: { attestation: AttestationCheck }) {
  return (
    <li className="card">
      <div className="card-title">
        <StatusBadge look={ATTESTATION_LOOK[attestation.status]} />
        <strong><OutsideText text={attestation.path} /></strong>
      </div>
      <dl className="facts compact">
        <div>
          <dt>Format</dt>
          <dd>{attestation.format === null ? 'not recognised' : FORMAT_WORDS[attestation.format]}{attestation.predicateType !== null && <> · <code><OutsideText text={attestation.predicateType} /></code></>}</dd>
        </div>
        <div>
          <dt>Signer</dt>
          <dd><OutsideText text={attestation.signer ?? 'unknown'} />{attestation.keyId !== null && <> · <code><OutsideText text={attestation.keyId} /></code></>}</dd>
        </div>
        <div>
          <dt>Trusted as</dt>
          <dd>{attestation.trustSource === null ? 'not trusted' : TRUST_SOURCE_WORDS[attestation.trustSource]}</dd>
        </div>
        {attestation.provenance !== null && (
          <div>
            <dt>Built from</dt>
            <dd>
              <code><OutsideText text={attestation.provenance.commits.join(', ') || 'no commit named'} /></code>
              {' '}against the code subject <code><OutsideText text={attestation.provenance.codeCommits.join(', ') || 'none'} /></code> ({attestation.provenance.status === 'same' ? 'same commit' : attestation.provenance.status === 'differs' ? 'different commit' : attestation.provenance.status === 'no-commit' ? 'the provenance names no commit' : 'the release pins no code commit'})
            </dd>
          </div>
        )}
      </dl>
      {attestation.bindings.length > 0 && (
        <ul aria-label={`Subjects of ${attestation.path}`} className="plain-list">
          {attestation.bindings.map((binding, index) => (
            <li key={`${binding.name}-${index}`}>
              <StatusBadge look={BINDING_LOOK[binding.status]} /> <OutsideText text={binding.name} />
              {binding.manifestSubject !== null && binding.manifestSubject !== binding.name && <> → <OutsideText text={binding.manifestSubject} /></>}
            </li>
          ))}
        </ul>
      )}
      {attestation.reasons.map((reason) => (
        <p key={reason}><OutsideText text={reason} /></p>
      ))}
    </li>
  );
}
