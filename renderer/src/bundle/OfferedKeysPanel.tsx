import { useId, useState } from 'react';
import type { OfferedKey } from '../../../shared/api/contract';
import { useCommand } from '../bridge/hooks';
import { ErrorNotice } from '../common/ErrorNotice';
import { StatusBadge } from '../common/StatusBadge';
import type { StatusLook } from '../common/status-words';
import { PinKeyDialog } from './PinKeyDialog';

const PINNED_LOOK: StatusLook = { word: 'Pinned', icon: '✓', tone: 'good' };

/** The public keys a bundle ships in keys/: untrusted until a person checks one and pins it. */
export function OfferedKeysPanel({ sessionId }: { sessionId: string }) {
  const headingId = useId();
  const offered = useCommand('trust.offeredKeys', { sessionId });
  const [pinning, setPinning] = useState<OfferedKey | null>(null);

  if (offered.isPending) return null;
  return (
    <section aria-labelledby={headingId} className="panel">
      <h2 id={headingId}>Keys offered by this bundle</h2>
      {offered.isError ? (
        <ErrorNotice error={offered.error} prefix="Could not list the bundle's keys" />
      ) : offered.data.length === 0 ? (
        <p>This bundle offers no public keys.</p>
      ) : (
        <>
          <p>A bundle cannot vouch for itself: these keys count only once you pin them.</p>
          <ul aria-label="Offered keys" className="card-list">
            {offered.data.map((key) => (
              <OfferedKeyItem key={key.file} offered={key} onPin={() => setPinning(key)} />
            ))}
          </ul>
        </>
      )}
      {pinning !== null && pinning.publicKey !== null && pinning.keyId !== null && (
        <PinKeyDialog
          publicKey={pinning.publicKey}
          keyId={pinning.keyId}
          suggestedName={pinning.comment ?? pinning.file}
          onClose={() => setPinning(null)}
        />
      )}
    </section>
  );
}

function OfferedKeyItem({ offered, onPin }: { offered: OfferedKey; onPin(): void }) {
  const fileId = useId();
  return (
    <li className="card">
      <div className="card-title">
        <code id={fileId}>{offered.file}</code>
        {offered.comment !== null && <span>{offered.comment}</span>}
      </div>
      {offered.keyId !== null && (
        <p>
          Fingerprint <code className="fingerprint-inline">{offered.keyId}</code>
        </p>
      )}
      {offered.error !== null ? (
        <p className="error-notice">Not a usable key: {offered.error}</p>
      ) : offered.pinned ? (
        <p>
          <StatusBadge look={PINNED_LOOK} />
        </p>
      ) : (
        <button type="button" aria-describedby={fileId} onClick={onPin}>
          Pin…
        </button>
      )}
    </li>
  );
}
