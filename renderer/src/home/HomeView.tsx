import { useAppShell } from '../navigation/AppContext';
import { BoardInbox } from './BoardInbox';
import { FirstStartOffer } from './FirstStartOffer';
import { OpenBundleControls } from './OpenBundleControls';
import { RecentBundles } from './RecentBundles';

export function HomeView() {
  const { info, openBundle } = useAppShell();
  const demoPath = info.demoBundlePath;
  return (
    <>
      <h1 tabIndex={-1}>Open a release bundle</h1>
      <FirstStartOffer />
      <section className="panel" aria-label="Open a bundle">
        <OpenBundleControls />
        <p className="muted">Or drop a .tar, .tar.gz or .zip bundle anywhere on this window.</p>
        {demoPath !== null && (
          <button type="button" onClick={() => openBundle(demoPath)}>
            Open the demo bundle
          </button>
        )}
      </section>
      <BoardInbox />
      <RecentBundles />
    </>
  );
}
