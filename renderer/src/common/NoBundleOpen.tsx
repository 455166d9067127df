import { useAppShell } from '../navigation/AppContext';

/** What a view about the open bundle shows when none is open: its heading, and the way to Home. */
export function NoBundleOpen({ title }: { title: string }) {
  const { showView } = useAppShell();
  return (
    <section className="panel">
      <h1 tabIndex={-1}>{title}</h1>
      <p>No bundle is open.</p>
      <button type="button" onClick={() => showView('home')}>
        Open a bundle on Home
      </button>
    </section>
  );
}
