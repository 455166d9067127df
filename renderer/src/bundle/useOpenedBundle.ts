import { useEffect, useState } from 'react';
import { useBridge } from '../bridge/BridgeContext';

/**
 * A session on the bundle at `path`, opened without verifying (for what a bundle offers, such as
 * its keys), closed when the component unmounts or the path changes. Null until it is open, or
 * when it cannot be opened.
 */
export function useOpenedBundle(path: string | null): string | null {
  const bridge = useBridge();
  const [sessionId, setSessionId] = useState<string | null>(null);
  useEffect(() => {
    setSessionId(null);
    if (path === null) return;
    let current = true;
    let opened: string | null = null;
    void bridge.invoke('session.open', { path, verify: false }).then((result) => {
      if (!result.ok) return;
      opened = result.value.sessionId;
      if (current) setSessionId(opened);
      else void bridge.invoke('session.close', { sessionId: opened });
    });
    return () => {
      current = false;
      if (opened !== null) void bridge.invoke('session.close', { sessionId: opened });
    };
  }, [bridge, path]);
  return sessionId;
}
