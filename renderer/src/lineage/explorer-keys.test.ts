import { describe, expect, it } from 'vitest';
import { nodeKeyCommand } from './explorer-keys';
import { laidOut, testLineage } from './explorer-test-graph';

// Shown: 1 → 2 → 3, and 6 → 2: 1 and 6 share the first column.
const current = laidOut(new Set([1, 2, 3, 6]));

describe('keys on a focused lineage node', () => {
  it('moves left to the nearest upstream node and right to the downstream one', () => {
    const left = nodeKeyCommand('ArrowLeft', 2, current, testLineage);
    expect(left.kind).toBe('move');
    expect(left.kind === 'move' && [1, 6].includes(left.node)).toBe(true);
    expect(nodeKeyCommand('ArrowRight', 2, current, testLineage)).toEqual({ kind: 'move', node: 3, local: current.localOf[3] });
  });

  it('moves up and down within a column, and stays at its ends', () => {
    const [top, bottom] = current.layout.y[current.localOf[1]!]! < current.layout.y[current.localOf[6]!]! ? [1, 6] : [6, 1];
    expect(nodeKeyCommand('ArrowDown', top, current, testLineage)).toEqual({ kind: 'move', node: bottom, local: current.localOf[bottom] });
    expect(nodeKeyCommand('ArrowUp', bottom, current, testLineage)).toEqual({ kind: 'move', node: top, local: current.localOf[top] });
    expect(nodeKeyCommand('ArrowUp', top, current, testLineage)).toEqual({ kind: 'stay' });
    expect(nodeKeyCommand('ArrowRight', 3, current, testLineage)).toEqual({ kind: 'stay' });
  });

  it('expands on Enter, selects on Space, clears on Escape, ignores other keys', () => {
    expect(nodeKeyCommand('Enter', 3, current, testLineage)).toEqual({ kind: 'expand', node: 3 });
    expect(nodeKeyCommand(' ', 3, current, testLineage)).toEqual({ kind: 'select', node: 3 });
    expect(nodeKeyCommand('Escape', 3, current, testLineage)).toEqual({ kind: 'clear-selection' });
    expect(nodeKeyCommand('a', 3, current, testLineage)).toEqual({ kind: 'ignore' });
  });

  it('ignores a node that is not shown, or not known', () => {
    expect(nodeKeyCommand('Enter', 0, current, testLineage)).toEqual({ kind: 'ignore' });
    expect(nodeKeyCommand('Enter', -1, current, testLineage)).toEqual({ kind: 'ignore' });
  });
});
