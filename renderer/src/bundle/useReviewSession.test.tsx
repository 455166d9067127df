// @vitest-environment happy-dom
import { describe, it, expect, afterEach } from 'vitest';
import { act, cleanup, renderHook, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import type { Bridge, CommandInput, CommandName, EventName, EventPayload, JobProgress, Result } from '../../../shared/api/contract';
import type { VerificationReport } from '../../../shared/verify/report';
import { BridgeProvider } from '../bridge/BridgeContext';
import { useReviewSession } from './useReviewSession';

const SESSION = '6f1c1f5e-2a1b-4c3d-8e9f-0a1b2c3d4e5f';
const report = (verifiedAt: string) => ({ verdict: 'verified', verifiedAt }) as unknown as VerificationReport;

/**
 * A bridge that records every command the hook sends and answers the way the host's contract
 * does; `session.report` waits until the test releases it, so progress and cancel can be seen.
 */
function recordingBridge(opened: Record<string, unknown> = { kind: 'bundle' }) {
  const calls: { command: CommandName; input: unknown }[] = [];
  const listeners = new Set<(payload: JobProgress) => void>();
  let releaseReport: ((result: Result<unknown>) => void) | null = null;
  const bridge: Bridge = {
    invoke: (async <C extends CommandName>(command: C, input: CommandInput<C>) => {
      calls.push({ command, input });
      switch (command) {
        case 'session.open':
          return { ok: true, value: { sessionId: SESSION, path: '/b', report: null, ...opened } };
        case 'session.report':
          return new Promise<Result<unknown>>((resolve) => (releaseReport = resolve));
        default:
          return { ok: true, value: { closed: true, cancelled: true } };
      }
    }) as Bridge['invoke'],
    on: <E extends EventName>(_event: E, listener: (payload: EventPayload<E>) => void) => {
      listeners.add(listener as (payload: JobProgress) => void);
      return () => listeners.delete(listener as (payload: JobProgress) => void);
    },
  };
  return {
    bridge,
    calls,
    commands: () => calls.map((call) => call.command),
    emit: (progress: JobProgress) => listeners.forEach((listener) => listener(progress)),
    answerReport: (result: Result<unknown>) => releaseReport?.(result),
  };
}

const wrapperFor = (bridge: Bridge) =>
  function Wrapper({ children }: { children: ReactNode }) {
    return <BridgeProvider bridge={bridge}>{children}</BridgeProvider>;
  };

afterEach(cleanup);

describe('useReviewSession', () => {
  it('opens the bundle once, verifies it as a job with byte progress, and closes the session on unmount', async () => {
    const host = recordingBridge();
    const { result, unmount } = renderHook(() => useReviewSession('/b', 1, 0), { wrapper: wrapperFor(host.bridge) });
    await waitFor(() => expect(result.current.state.phase).toBe('running'));
    expect(result.current.sessionId).toBe(SESSION);
    const jobId = (host.calls.find((call) => call.command === 'session.report')!.input as { jobId: string }).jobId;
    act(() => host.emit({ jobId, bytesDone: 50, bytesTotal: 100, filesDone: 1, filesTotal: 2 }));
    await waitFor(() => expect(result.current.state).toMatchObject({ phase: 'running', progress: { bytesDone: 50 } }));
    act(() => host.emit({ jobId: 'someone-else', bytesDone: 99, bytesTotal: 100, filesDone: 1, filesTotal: 2 }));
    expect(result.current.state).toMatchObject({ progress: { bytesDone: 50 } });

    await act(async () => host.answerReport({ ok: true, value: report('2026-12-01T00:00:00Z') }));
    await waitFor(() => expect(result.current.state.phase).toBe('done'));
    expect(host.commands().filter((command) => command === 'session.open')).toHaveLength(1);

    unmount();
    expect(host.calls.at(-1)).toEqual({ command: 'session.close', input: { sessionId: SESSION } });
  });

  it('judges the same session again when trust changes: no second opening', async () => {
    const host = recordingBridge();
    const { result, rerender } = renderHook(({ trust }) => useReviewSession('/b', 1, trust), { wrapper: wrapperFor(host.bridge), initialProps: { trust: 0 } });
    await waitFor(() => expect(host.commands()).toContain('session.report'));
    await act(async () => host.answerReport({ ok: true, value: report('first') }));
    await waitFor(() => expect(result.current.state.phase).toBe('done'));

    rerender({ trust: 1 });
    await waitFor(() => expect(host.commands().filter((command) => command === 'session.report')).toHaveLength(2));
    await act(async () => host.answerReport({ ok: true, value: report('second') }));
    await waitFor(() => expect(result.current.state).toMatchObject({ phase: 'done', report: { verifiedAt: 'second' } }));
    expect(host.commands().filter((command) => command === 'session.open')).toHaveLength(1);
  });

  it('cancels the hashing job through jobs.cancel, keeping the session for a retry', async () => {
    const host = recordingBridge();
    const { result } = renderHook(() => useReviewSession('/b', 1, 0), { wrapper: wrapperFor(host.bridge) });
    await waitFor(() => expect(result.current.state.phase).toBe('running'));
    const jobId = (host.calls.find((call) => call.command === 'session.report')!.input as { jobId: string }).jobId;
    act(() => result.current.cancel());
    expect(host.calls.at(-1)).toEqual({ command: 'jobs.cancel', input: { jobId } });
    await act(async () => host.answerReport({ ok: false, error: { code: 'cancelled', message: 'Cancelled.' } }));
    await waitFor(() => expect(result.current.state).toEqual({ phase: 'cancelled', sessionId: SESSION }));
    expect(host.commands()).not.toContain('session.close');
  });

  it('opens a signature another tool made with the one the person chose, and says it is foreign', async () => {
    const host = recordingBridge({ kind: 'foreign', signatureFormat: 'sigstore', signaturePath: '/mail/model.sig.json' });
    const { result } = renderHook(() => useReviewSession('/models/model.onnx', 1, 0, undefined, '/mail/model.sig.json'), { wrapper: wrapperFor(host.bridge) });
    await waitFor(() => expect(result.current.state.phase).toBe('running'));
    expect(host.calls[0]).toEqual({ command: 'session.open', input: { path: '/models/model.onnx', verify: false, acceptForeign: true, signature: '/mail/model.sig.json' } });
    expect(result.current.foreign).toEqual({ format: 'sigstore', signaturePath: '/mail/model.sig.json' });
    await act(async () => host.answerReport({ ok: true, value: report('foreign') }));
    await waitFor(() => expect(result.current.state).toMatchObject({ phase: 'done', report: { verifiedAt: 'foreign' } }));
  });

  it('does not take a bundle for a foreign signature', async () => {
    const host = recordingBridge();
    const { result } = renderHook(() => useReviewSession('/b', 1, 0), { wrapper: wrapperFor(host.bridge) });
    await waitFor(() => expect(result.current.state.phase).toBe('running'));
    expect(result.current.foreign).toBeNull();
  });
});
