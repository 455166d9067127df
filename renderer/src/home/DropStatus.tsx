import type { DropState } from './useArchiveDrop';

/** The window-wide drop target while dragging, and what became of the last drop. */
export function DropStatus({ drop, onDismiss }: { drop: DropState; onDismiss(): void }) {
  switch (drop.phase) {
    case 'idle':
      return null;
    case 'dragging':
      return (
        <div className="drop-overlay" aria-hidden="true">
          <p>Drop the archive to open it</p>
        </div>
      );
    case 'importing':
      return (
        <p className="notice" aria-live="polite">
          Importing {drop.fileName}…
        </p>
      );
    case 'failed':
      return (
        <div className="notice notice-error">
          <p role="alert">{drop.message}</p>
          <button type="button" className="small" onClick={onDismiss}>
            Dismiss
          </button>
        </div>
      );
  }
}
