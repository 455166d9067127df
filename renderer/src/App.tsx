import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react';
import { takeOpenRequest } from './navigation/open-route';
import { useQueryClient } from '@tanstack/react-query';
import { commandKey, useCommand, useCommandMutation } from './bridge/hooks';
import { BundleView } from './bundle/BundleView';
import { NotABundle } from './bundle/ForeignReview';
import { useReviewSession } from './bundle/useReviewSession';
import { ErrorNotice } from './common/ErrorNotice';
import { DropStatus } from './home/DropStatus';
import { HomeView } from './home/HomeView';
import { BUNDLE_PATH_FIELD_ID } from './home/OpenBundleControls';
import { useArchiveDrop } from './home/useArchiveDrop';
import { AppShellContext } from './navigation/AppContext';
import type { AppInfo, AppShell, View } from './navigation/AppContext';
import { IS_MAC, MODIFIER_LABEL } from './navigation/platform';
import { shortcutFor } from './navigation/shortcuts';
import { TopBar } from './navigation/TopBar';
import { TrustView } from './trust/TrustView';
import { KeysView } from './keys/KeysView';
import { AuditView } from './audit/AuditView';
import { BoardView } from './board/BoardView';
import { LineageView } from './lineage/LazyLineageView';
import { DeploymentView } from './deployment/DeploymentView';

const VIEW_TITLES: Record<View, string> = { home: 'Home', bundle: 'Bundle', trust: 'Trust', keys: 'Keys', audit: 'Audit', board: 'Board', lineage: 'Lineage', deployment: 'Deployment' };

export function App() {
  const info = useCommand('app.info', {});
  if (info.isPending) {
    return (
      <main className="loading">
        <p>Loading…</p>
      </main>
    );
  }
  if (info.isError) {
    return (
      <main>
        <h1>Countersign cannot start</h1>
        <ErrorNotice error={info.error} />
      </main>
    );
  }
  return <Shell info={info.data} />;
}

interface OpenBundle {
  path: string;
  /** The target's signature, when the person chose one (a file with no signature beside it). */
  signature: string | null;
  /** Counts openings, so opening the same path again verifies it again. */
  opening: number;
}

type FocusRequest = { target: 'heading' | 'path-field'; sequence: number };

function Shell({ info }: { info: AppInfo }) {
  const queryClient = useQueryClient();
  const [view, setView] = useState<View>('home');
  const [bundle, setBundle] = useState<OpenBundle | null>(null);
  const [trustRevision, bumpTrustRevision] = useReducer((n: number) => n + 1, 0);
  const [focusRequest, setFocusRequest] = useState<FocusRequest | null>(null);
  const mainRef = useRef<HTMLElement>(null);

  const requestFocus = useCallback((target: FocusRequest['target']) => {
    setFocusRequest((previous) => ({ target, sequence: (previous?.sequence ?? 0) + 1 }));
  }, []);

  const showView = useCallback(
    (next: View) => {
      setView(next);
      requestFocus('heading');
    },
    [requestFocus],
  );

  const openBundle = useCallback(
    (path: string, signature?: string) => {
      setBundle((previous) => ({ path, signature: signature ?? null, opening: (previous?.opening ?? 0) + 1 }));
      showView('bundle');
    },
    [showView],
  );

  const trustChanged = useCallback(() => {
    for (const command of ['trust.keys', 'trust.offeredKeys', 'trust.board'] as const) {
      void queryClient.invalidateQueries({ queryKey: commandKey(command) });
    }
    bumpTrustRevision();
  }, [queryClient]);

  const pick = useCommandMutation('bundle.pickFile', {
    onSuccess: ({ path }) => {
      if (path !== null) openBundle(path);
    },
  });
  const { mutate: pickFile, isPending: picking } = pick;
  const pickBundle = useCallback((directory: boolean, purpose?: 'bundle' | 'artifact') => pickFile({ directory, ...(purpose !== undefined ? { purpose } : {}) }), [pickFile]);

  const review = useReviewSession(
    bundle?.path ?? null,
    bundle?.opening ?? 0,
    trustRevision,
    () => {
      void queryClient.invalidateQueries({ queryKey: commandKey('bundle.recent') });
    },
    bundle?.signature ?? null,
  );
  const verifiedReport = review.state.phase === 'done' ? review.state.report : null;

  const { drop, dismiss } = useArchiveDrop(openBundle);

  const shell = useMemo<AppShell>(
    () => ({ info, openBundle, showView, pickBundle, picking, trustChanged }),
    [info, openBundle, showView, pickBundle, picking, trustChanged],
  );

  // Bundles opened from outside the page (command line, file association, menus, `serve --bundle`).
  useEffect(() => {
    const openFromLocation = () => {
      const { path, rest } = takeOpenRequest(window.location.hash);
      if (path === null) return;
      history.replaceState(null, '', `${window.location.pathname}${window.location.search}${rest}`);
      openBundle(path);
    };
    openFromLocation();
    window.addEventListener('hashchange', openFromLocation);
    return () => window.removeEventListener('hashchange', openFromLocation);
  }, [openBundle]);

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      const action = shortcutFor(event, IS_MAC);
      if (action === null) return;
      event.preventDefault();
      if (action.kind === 'view') {
        if (action.view !== 'bundle' || bundle !== null) showView(action.view);
      } else if (info.nativeDialogs) {
        if (!picking) pickBundle(false);
      } else {
        setView('home');
        requestFocus('path-field');
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [bundle, info.nativeDialogs, pickBundle, picking, requestFocus, showView]);

  // A view change moves focus to the new view's heading, so keyboard and screen-reader users land on it.
  useEffect(() => {
    if (focusRequest === null) return;
    const target =
      focusRequest.target === 'path-field' ? document.getElementById(BUNDLE_PATH_FIELD_ID) : mainRef.current?.querySelector<HTMLElement>('h1');
    target?.focus();
  }, [focusRequest]);

  useEffect(() => {
    document.title = `${VIEW_TITLES[view]} · Countersign`;
  }, [view]);

  return (
    <AppShellContext value={shell}>
      <TopBar view={view} bundleOpen={bundle !== null} onNavigate={showView} />
      <DropStatus drop={drop} onDismiss={dismiss} />
      {pick.isError && (
        <div className="notice notice-error">
          <ErrorNotice error={pick.error} prefix="Could not open" />
        </div>
      )}
      <main ref={mainRef} className={`view view-${view}`}>
        {view === 'home' && <HomeView />}
        {view === 'bundle' && <BundleView path={bundle?.path ?? null} review={review} />}
        {view === 'trust' && <TrustView />}
        {view === 'keys' && <KeysView />}
        {view === 'audit' && <AuditView />}
        {view === 'board' && <BoardView />}
        {view === 'deployment' && (review.foreign !== null ? <NotABundle view="Deployment" foreign={review.foreign} /> : <DeploymentView bundleOpen={bundle !== null} sessionId={review.sessionId} report={verifiedReport} />)}
        {view === 'lineage' && (review.foreign !== null ? <NotABundle view="Lineage" foreign={review.foreign} /> : <LineageView bundleOpen={bundle !== null} sessionId={review.sessionId} report={verifiedReport} />)}
      </main>
      <footer className="shortcuts">
        Shortcuts: <kbd>{MODIFIER_LABEL}O</kbd> open · <kbd>{MODIFIER_LABEL}1</kbd> Home · <kbd>{MODIFIER_LABEL}2</kbd> Bundle · <kbd>{MODIFIER_LABEL}3</kbd> Trust · <kbd>{MODIFIER_LABEL}4</kbd> Keys · <kbd>{MODIFIER_LABEL}5</kbd> Audit · <kbd>{MODIFIER_LABEL}6</kbd> Lineage · <kbd>{MODIFIER_LABEL}7</kbd> Deployment · <kbd>{MODIFIER_LABEL}8</kbd> Board
      </footer>
    </AppShellContext>
  );
}
