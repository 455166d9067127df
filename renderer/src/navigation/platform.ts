import { isMacPlatform, modifierLabel } from './shortcuts';

// navigator.platform is deprecated but still the one synchronous, reliable answer in Chromium.
export const IS_MAC = isMacPlatform(navigator.platform);

/** "Ctrl+" or "⌘", for shortcut hints shown on screen. */
export const MODIFIER_LABEL = modifierLabel(IS_MAC);

/** The aria-keyshortcuts spelling of a shortcut, e.g. "Control+O". */
export function ariaShortcut(key: string): string {
  return `${IS_MAC ? 'Meta' : 'Control'}+${key}`;
}
