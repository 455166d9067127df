import { describe, it, expect } from 'vitest';
import { isMacPlatform, shortcutFor } from './shortcuts';
import type { KeyPress } from './shortcuts';

const press = (key: string, modifiers: Partial<KeyPress> = {}): KeyPress => ({
  key,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  shiftKey: false,
  ...modifiers,
});

describe('shortcutFor', () => {
  it('opens with Ctrl+O, or ⌘O on macOS', () => {
    expect(shortcutFor(press('o', { ctrlKey: true }), false)).toEqual({ kind: 'open' });
    expect(shortcutFor(press('O', { ctrlKey: true }), false)).toEqual({ kind: 'open' });
    expect(shortcutFor(press('o', { metaKey: true }), true)).toEqual({ kind: 'open' });
  });

  it('switches views with the number keys', () => {
    expect(shortcutFor(press('1', { ctrlKey: true }), false)).toEqual({ kind: 'view', view: 'home' });
    expect(shortcutFor(press('2', { ctrlKey: true }), false)).toEqual({ kind: 'view', view: 'bundle' });
    expect(shortcutFor(press('3', { metaKey: true }), true)).toEqual({ kind: 'view', view: 'trust' });
    expect(shortcutFor(press('4', { ctrlKey: true }), false)).toEqual({ kind: 'view', view: 'keys' });
    expect(shortcutFor(press('5', { ctrlKey: true }), false)).toEqual({ kind: 'view', view: 'audit' });
    expect(shortcutFor(press('6', { ctrlKey: true }), false)).toEqual({ kind: 'view', view: 'lineage' });
    expect(shortcutFor(press('7', { ctrlKey: true }), false)).toEqual({ kind: 'view', view: 'deployment' });
    expect(shortcutFor(press('8', { ctrlKey: true }), false)).toEqual({ kind: 'view', view: 'board' });
  });

  it('ignores plain keys, the other platform modifier and extra modifiers', () => {
    expect(shortcutFor(press('o'), false)).toBeNull();
    expect(shortcutFor(press('o', { metaKey: true }), false)).toBeNull();
    expect(shortcutFor(press('o', { ctrlKey: true }), true)).toBeNull();
    expect(shortcutFor(press('1', { ctrlKey: true, shiftKey: true }), false)).toBeNull();
    expect(shortcutFor(press('9', { ctrlKey: true }), false)).toBeNull();
  });
});

describe('isMacPlatform', () => {
  it('recognises Apple platforms only', () => {
    expect(isMacPlatform('MacIntel')).toBe(true);
    expect(isMacPlatform('iPad')).toBe(true);
    expect(isMacPlatform('Linux x86_64')).toBe(false);
    expect(isMacPlatform('Win32')).toBe(false);
  });
});
