import type { StatusLook } from './status-words';

/** A status as icon + word; the colour only repeats what the word says. */
export function StatusBadge({ look, className }: { look: StatusLook; className?: string }) {
  return (
    <span className={`badge tone-${look.tone}${className === undefined ? '' : ` ${className}`}`}>
      <span className="badge-icon" aria-hidden="true">
        {look.icon}
      </span>
      {look.word}
    </span>
  );
}
