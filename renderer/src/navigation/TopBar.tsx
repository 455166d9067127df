import type { View } from './AppContext';
import { ariaShortcut, MODIFIER_LABEL } from './platform';

interface TopBarProps {
  view: View;
  bundleOpen: boolean;
  onNavigate(view: View): void;
}

const VIEWS: { view: View; label: string; key: string }[] = [
  { view: 'home', label: 'Home', key: '1' },
  { view: 'bundle', label: 'Bundle', key: '2' },
  { view: 'trust', label: 'Trust', key: '3' },
  { view: 'keys', label: 'Keys', key: '4' },
  { view: 'audit', label: 'Audit', key: '5' },
  // The board is about every release, like Trust, Keys and Audit; its shortcut came last.
  { view: 'board', label: 'Board', key: '8' },
  { view: 'lineage', label: 'Lineage', key: '6' },
  { view: 'deployment', label: 'Deployment', key: '7' },
];

export function TopBar({ view, bundleOpen, onNavigate }: TopBarProps) {
  return (
    <header className="top-bar">
      <span className="brand">Countersign</span>
      <nav aria-label="Views">
        <ul>
          {VIEWS.filter((item) => item.view !== 'bundle' || bundleOpen).map((item) => (
            <li key={item.view}>
              <button
                type="button"
                aria-current={view === item.view ? 'page' : undefined}
                aria-keyshortcuts={ariaShortcut(item.key)}
                onClick={() => onNavigate(item.view)}
              >
                {item.label}
                <kbd aria-hidden="true">
                  {MODIFIER_LABEL}
                  {item.key}
                </kbd>
              </button>
            </li>
          ))}
        </ul>
      </nav>
    </header>
  );
}
