import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiError, JobProgress } from '../../../shared/api/contract';
import type { ForeignFormat } from '../../../shared/verify/foreign/detect-format';
import type { VerificationReport } from '../../../shared/verify/report';
import { useBridge } from '../bridge/BridgeContext';
import { secondsLeft, startRate, updateRate } from './eta';
import type { RateEstimate } from './eta';

export type ReviewState =
  | { phase: 'idle' }
  | { phase: 'opening' }
  | { phase: 'running'; sessionId: string; jobId: string; progress: JobProgress | null; secondsLeft: number | null; cancelling: boolean }
  | { phase: 'done'; sessionId: string; report: VerificationReport }
  | { phase: 'cancelled'; sessionId: string }
  | { phase: 'failed'; sessionId: string | null; error: ApiError };

/** A signature another tool made (OMS, Sigstore, DSSE): verified only; bundle-only panels show an empty state. */
export interface ForeignSignature {
  format: ForeignFormat;
  signaturePath: string;
}

export interface ReviewSessionHandle {
  state: ReviewState;
  /** The open session, once the bundle is read (lineage and offered keys need no verification). */
  sessionId: string | null;
  /** Set when the open session holds a foreign signature rather than a Countersign bundle. */
  foreign: ForeignSignature | null;
  cancel(): void;
  verifyAgain(): void;
  /** Opens the bundle again letting an archive expand up to `ratio` bytes per compressed byte (the person chose to). */
  openAllowingRatio(ratio: number): void;
}

/**
 * The review session of the bundle at `path`. Whenever the path or `opening` changes (the caller
 * counts openings, so opening the same path again reads it again), the bundle is opened once
 * (an archive unpacked once) and then verified as a job with byte progress and cancel. Every
 * view of the open bundle asks the session, by its ID. When trust changes (`trustRevision`), the
 * session judges its signatures again without hashing anything. A session that is replaced or
 * unmounted is closed on the host, and hashing that nobody waits for any more is cancelled.
 */
export function useReviewSession(path: string | null, opening: number, trustRevision: number, onSettled?: () => void, signature: string | null = null): ReviewSessionHandle {
  const bridge = useBridge();
  const [state, setState] = useState<ReviewState>({ phase: 'idle' });
  const [sessionId, setSessionId] = useState<string | null>(null);
  const [foreign, setForeign] = useState<ForeignSignature | null>(null);
  const [reopened, setReopened] = useState(0);
  // A raised ratio is the person's choice for this one opening: another starts from the default.
  const openingKey = `${opening}:${path ?? ''}`;
  const [allowed, setAllowed] = useState<{ openingKey: string; ratio: number } | null>(null);
  const allowedRatio = allowed?.openingKey === openingKey ? allowed.ratio : null;
  const onSettledRef = useRef(onSettled);
  useEffect(() => {
    onSettledRef.current = onSettled;
  });

  // Open (and close) the session.
  useEffect(() => {
    setSessionId(null);
    setForeign(null);
    if (path === null) {
      setState({ phase: 'idle' });
      return;
    }
    let current = true;
    let opened: string | null = null;
    setState({ phase: 'opening' });
    const input = {
      path,
      verify: false,
      // A model folder with model.sig, or a file with its Sigstore bundle beside it, opens too.
      acceptForeign: true,
      ...(signature !== null ? { signature } : {}),
      ...(allowedRatio !== null ? { maxCompressionRatio: allowedRatio } : {}),
    };
    void bridge.invoke('session.open', input).then((result) => {
      if (result.ok) opened = result.value.sessionId;
      if (!current) {
        // Replaced while opening: nobody will ask this session anything.
        if (opened !== null) void bridge.invoke('session.close', { sessionId: opened });
        return;
      }
      if (!result.ok) {
        setState({ phase: 'failed', sessionId: null, error: result.error });
        onSettledRef.current?.();
      } else if (result.value.kind === 'lineage-file') {
        setState({ phase: 'failed', sessionId: null, error: { code: 'unsupported', message: `${path} is a lineage file, not a bundle: open a bundle to review it.` } });
      } else {
        const { signatureFormat, signaturePath } = result.value;
        setForeign(result.value.kind === 'foreign' && signatureFormat !== undefined && signaturePath !== undefined ? { format: signatureFormat, signaturePath } : null);
        setSessionId(result.value.sessionId);
      }
    });
    return () => {
      current = false;
      if (opened !== null) void bridge.invoke('session.close', { sessionId: opened });
    };
  }, [bridge, path, signature, opening, reopened, allowedRatio]);

  // Verify it: the first time with hashing and progress; after a trust change, signatures only.
  useEffect(() => {
    if (sessionId === null) return;
    const jobId = newJobId();
    let settled = false;
    let rate: RateEstimate | null = null;
    setState((previous) => (previous.phase === 'done' ? previous : { phase: 'running', sessionId, jobId, progress: null, secondsLeft: null, cancelling: false }));

    // Subscribe before starting, so the first progress event cannot be missed.
    const unsubscribe = bridge.on('job.progress', (progress) => {
      if (settled || progress.jobId !== jobId) return;
      const now = performance.now();
      rate = rate === null ? startRate(progress.bytesDone, now) : updateRate(rate, progress.bytesDone, now);
      const left = secondsLeft(rate, progress.bytesDone, progress.bytesTotal);
      setState((current) => (current.phase === 'running' && current.jobId === jobId ? { ...current, progress, secondsLeft: left } : current));
    });

    void bridge.invoke('session.report', { sessionId, jobId }).then((result) => {
      if (settled) return;
      settled = true;
      unsubscribe();
      if (result.ok) setState({ phase: 'done', sessionId, report: result.value });
      else if (result.error.code === 'cancelled') setState({ phase: 'cancelled', sessionId });
      else setState({ phase: 'failed', sessionId, error: result.error });
      onSettledRef.current?.();
    });

    return () => {
      unsubscribe();
      if (!settled) {
        settled = true;
        void bridge.invoke('jobs.cancel', { jobId });
      }
    };
  }, [bridge, sessionId, trustRevision]);

  const cancel = useCallback(() => {
    if (state.phase !== 'running' || state.cancelling) return;
    const { jobId } = state;
    setState({ ...state, cancelling: true });
    void bridge.invoke('jobs.cancel', { jobId });
  }, [bridge, state]);

  // Verifying again reads the files again: a new session on the same path.
  const verifyAgain = useCallback(() => setReopened((n) => n + 1), []);

  const openAllowingRatio = useCallback((ratio: number) => setAllowed({ openingKey, ratio }), [openingKey]);

  return { state, sessionId, foreign, cancel, verifyAgain, openAllowingRatio };
}

/** crypto.randomUUID needs a secure context; both hosts are one, but an ID must never fail to exist. */
function newJobId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
