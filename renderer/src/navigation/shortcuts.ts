import type { View } from './AppContext';

export type ShortcutAction = { kind: 'open' } | { kind: 'view'; view: View };

const VIEW_KEYS: Record<string, View> = { '1': 'home', '2': 'bundle', '3': 'trust', '4': 'keys', '5': 'audit', '6': 'lineage', '7': 'deployment', '8': 'board' };

export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
}

/** Ctrl+O (⌘O on macOS) opens a bundle; Ctrl+1 to 8 show Home, Bundle, Trust, Keys, Audit, Lineage, Deployment, Board. */
export function shortcutFor(press: KeyPress, isMac: boolean): ShortcutAction | null {
  const modifier = isMac ? press.metaKey && !press.ctrlKey : press.ctrlKey && !press.metaKey;
  if (!modifier || press.altKey || press.shiftKey) return null;
  if (press.key.toLowerCase() === 'o') return { kind: 'open' };
  const view = VIEW_KEYS[press.key];
  return view === undefined ? null : { kind: 'view', view };
}

/** How the modifier is written in the UI. */
export function modifierLabel(isMac: boolean): string {
  return isMac ? '⌘' : 'Ctrl+';
}

export function isMacPlatform(platform: string): boolean {
  return /^(Mac|iPhone|iPad|iPod)/i.test(platform);
}
