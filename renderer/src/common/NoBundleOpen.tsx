import { useAppShell } from '../navigation/AppContext';

/**
 * What a view about the open bundle shows when none is open, or while the one opened is still
 * being read: its heading, and the way to Home.
 */
export function NoBundleOpen({ title, opening = false }: { title: string; opening?: boolean }) {
  const { showView } = useAppShell();
  if (opening) {
    return (
      <section className="panel">
        <h1 tabIndex={-1}>{title}</h1>
        <p>Reading the bundle…</p>
      </section>
    );
  }
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
