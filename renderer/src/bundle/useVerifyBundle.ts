import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiError, HashProgress } from '../../../shared/api/contract';
import type { VerificationReport } from '../../../shared/verify/report';
import { useBridge } from '../bridge/BridgeContext';
import { secondsLeft, startRate, updateRate } from './eta';
import type { RateEstimate } from './eta';

export type VerifyState =
  | { phase: 'idle' }
  | { phase: 'running'; jobId: string; progress: HashProgress | null; secondsLeft: number | null; cancelling: boolean }
  | { phase: 'done'; report: VerificationReport }
  | { phase: 'cancelled' }
  | { phase: 'failed'; error: ApiError };

export interface VerifyBundle {
  state: VerifyState;
  cancel(): void;
  verifyAgain(): void;
}

/**
 * Verifies the bundle at `path` whenever the path or `runKey` changes (the caller changes the key
 * when the bundle is opened again or trust changes), following the job's hash progress. A run that
 * is replaced or unmounted is cancelled on the host, so hashing never continues for nobody.
 */
export function useVerifyBundle(path: string | null, runKey: string, onSettled?: () => void): VerifyBundle {
  const bridge = useBridge();
  const [state, setState] = useState<VerifyState>({ phase: 'idle' });
  const [attempt, setAttempt] = useState(0);
  const onSettledRef = useRef(onSettled);
  useEffect(() => {
    onSettledRef.current = onSettled;
  });

  useEffect(() => {
    if (path === null) {
      setState({ phase: 'idle' });
      return;
    }
    const jobId = newJobId();
    let settled = false;
    let rate: RateEstimate | null = null;
    setState({ phase: 'running', jobId, progress: null, secondsLeft: null, cancelling: false });

    // Subscribe before starting, so the first progress event cannot be missed.
    const unsubscribe = bridge.on('hash.progress', (progress) => {
      if (settled || progress.jobId !== jobId) return;
      const now = performance.now();
      rate = rate === null ? startRate(progress.bytesDone, now) : updateRate(rate, progress.bytesDone, now);
      const left = secondsLeft(rate, progress.bytesDone, progress.bytesTotal);
      setState((current) =>
        current.phase === 'running' && current.jobId === jobId ? { ...current, progress, secondsLeft: left } : current,
      );
    });

    void bridge.invoke('bundle.verify', { path, jobId }).then((result) => {
      if (settled) return;
      settled = true;
      unsubscribe();
      if (result.ok) setState({ phase: 'done', report: result.value });
      else if (result.error.code === 'cancelled') setState({ phase: 'cancelled' });
      else setState({ phase: 'failed', error: result.error });
      onSettledRef.current?.();
    });

    return () => {
      unsubscribe();
      if (!settled) {
        settled = true;
        void bridge.invoke('bundle.cancel', { jobId });
      }
    };
  }, [bridge, path, runKey, attempt]);

  const cancel = useCallback(() => {
    if (state.phase !== 'running' || state.cancelling) return;
    const { jobId } = state;
    setState({ ...state, cancelling: true });
    void bridge.invoke('bundle.cancel', { jobId });
  }, [bridge, state]);

  const verifyAgain = useCallback(() => setAttempt((n) => n + 1), []);

  return { state, cancel, verifyAgain };
}

/** crypto.randomUUID needs a secure context; both hosts are one, but an ID must never fail to exist. */
function newJobId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
