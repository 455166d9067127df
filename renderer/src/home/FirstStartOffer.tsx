import { useId, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { OfferedKey } from '../../../shared/api/contract';
import { useBridge } from '../bridge/BridgeContext';
import { call, commandKey, errorText, useCommand } from '../bridge/hooks';
import { ErrorNotice } from '../common/ErrorNotice';
import { useAppShell } from '../navigation/AppContext';
import { useOpenedBundle } from '../bundle/useOpenedBundle';

type PinnableKey = OfferedKey & { keyId: string; publicKey: string };

function isPinnable(key: OfferedKey): key is PinnableKey {
  return key.keyId !== null && key.publicKey !== null && key.error === null && !key.pinned;
}

/** On first start, offers to pin the keys the demo bundle ships, so the demo can verify. Asked once. */
export function FirstStartOffer() {
  const { info } = useAppShell();
  const settings = useCommand('settings.get', {});
  const demoPath = info.demoBundlePath;
  const unanswered = settings.data?.demoKeysOfferAnswered === false && demoPath !== null;
  const demoSession = useOpenedBundle(unanswered ? demoPath : null);
  const offered = useCommand('trust.offeredKeys', { sessionId: demoSession ?? '' }, { enabled: demoSession !== null });

  if (!unanswered || demoSession === null || offered.data === undefined) return null;
  const keys = offered.data.filter(isPinnable);
  if (keys.length === 0) return null;
  return <DemoKeysOffer keys={keys} />;
}

function DemoKeysOffer({ keys }: { keys: PinnableKey[] }) {
  const bridge = useBridge();
  const queryClient = useQueryClient();
  const { trustChanged } = useAppShell();
  const headingId = useId();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const answer = async (pinKeys: boolean) => {
    setBusy(true);
    setError(null);
    try {
      if (pinKeys) {
        for (const key of keys) {
          await call(bridge, 'trust.pin', { publicKey: key.publicKey, name: key.comment ?? key.file, confirmKeyId: key.keyId });
        }
      }
      await call(bridge, 'settings.set', { demoKeysOfferAnswered: true });
    } catch (caught) {
      setError(errorText(caught));
    } finally {
      setBusy(false);
      if (pinKeys) trustChanged();
      await queryClient.invalidateQueries({ queryKey: commandKey('settings.get') });
    }
  };

  return (
    <section aria-labelledby={headingId} className="panel offer">
      <h2 id={headingId}>Pin the demo bundle's keys?</h2>
      <p>
        The demo bundle is signed with these keys. Pinning them lets this machine trust the demo's signatures. Compare each fingerprint with the one
        published with Countersign before you pin.
      </p>
      <ul aria-label="Demo keys" className="card-list">
        {keys.map((key) => (
          <li key={key.file} className="card">
            <div className="card-title">
              <code>{key.file}</code>
              {key.comment !== null && <span>{key.comment}</span>}
            </div>
            <p>
              Fingerprint <code className="fingerprint-inline">{key.keyId}</code>
            </p>
          </li>
        ))}
      </ul>
      {error !== null && <ErrorNotice error={error} />}
      <div className="actions">
        <button type="button" className="primary" disabled={busy} onClick={() => void answer(true)}>
          Pin these keys
        </button>
        <button type="button" disabled={busy} onClick={() => void answer(false)}>
          Not now
        </button>
      </div>
    </section>
  );
}
