import { useId } from 'react';
import type { SignatureCheck } from '../../../shared/verify/report';
import { StatusBadge } from '../common/StatusBadge';
import { SIGNATURE_LOOK, TRUST_SOURCE_WORDS } from '../common/status-words';
import { OutsideText } from '../common/OutsideText';

export function SignaturesPanel({ signatures }: { signatures: readonly SignatureCheck[] }) {
  const headingId = useId();
  return (
    <section aria-labelledby={headingId} className="panel">
      <h2 id={headingId}>Signatures</h2>
      {signatures.length === 0 ? (
        <p>This bundle carries no signatures.</p>
      ) : (
        <ul aria-label="Signatures" className="card-list">
          {signatures.map((signature) => (
            <SignatureItem key={signature.index} signature={signature} />
          ))}
        </ul>
      )}
    </section>
  );
}

function SignatureItem({ signature }: { signature: SignatureCheck }) {
  const keyId = signature.keyId ?? (signature.keyIdHint === '' ? null : signature.keyIdHint);
  return (
    <li className="card">
      <div className="card-title">
        <StatusBadge look={SIGNATURE_LOOK[signature.status]} />
        <strong><OutsideText text={signature.signerName ?? 'unknown signer'} /></strong>
      </div>
      <dl className="facts compact">
        <div>
          <dt>Key ID</dt>
          <dd>
            <code><OutsideText text={keyId ?? 'none given'} /></code>
          </dd>
        </div>
        {signature.algorithm !== undefined && (
          <div>
            <dt>Algorithm</dt>
            <dd>
              <code><OutsideText text={signature.algorithm} /></code>
            </dd>
          </div>
        )}
        <div>
          <dt>Trusted as</dt>
          <dd>{signature.trustSource === null ? 'not trusted' : TRUST_SOURCE_WORDS[signature.trustSource]}</dd>
        </div>
      </dl>
      <p><OutsideText text={signature.reason} /></p>
    </li>
  );
}
