import { describe, expect, it } from 'vitest';
import { explorerReducer, initialExplorerState } from './explorer-state';
import type { ExplorerAction, ExplorerState } from './explorer-state';
import { testLineage } from './explorer-test-graph';

const sorted = (set: ReadonlySet<number>) => [...set].sort((a, b) => a - b);
const opened = () => initialExplorerState(testLineage, 4);
const run = (state: ExplorerState, ...actions: ExplorerAction[]) => actions.reduce((next, action) => explorerReducer(testLineage, next, action), state);

describe('the lineage explorer state', () => {
  it('opens on its node with one hop each way, selected, as the tab stop, asking to fit', () => {
    const state = opened();
    expect(sorted(state.shown)).toEqual([3, 4, 5]);
    expect(state.selected).toBe(4);
    expect(state.tabStop).toBe(4);
    expect(state.viewRequest).toEqual({ kind: 'fit' });
  });

  it('selects a node and moves the tab stop with it, without touching the shown nodes', () => {
    const start = run(opened(), { type: 'view-request-done' });
    const state = run(start, { type: 'select', node: 3 });
    expect([state.selected, state.tabStop]).toEqual([3, 3]);
    expect(state.shown).toBe(start.shown);
    expect(state.viewRequest).toBeNull();
  });

  it('clears the selection but keeps the tab stop; the arrow keys move only the tab stop', () => {
    const state = run(opened(), { type: 'clear-selection' }, { type: 'move-tab-stop', node: 5 });
    expect(state.selected).toBeNull();
    expect(state.tabStop).toBe(5);
  });

  it('returns the same state for a change that changes nothing, so nothing re-renders', () => {
    const state = opened();
    expect(run(state, { type: 'select', node: 4 })).toBe(state);
    expect(run(state, { type: 'move-tab-stop', node: 4 })).toBe(state);
    const cleared = run(state, { type: 'clear-selection' });
    expect(run(cleared, { type: 'clear-selection' })).toBe(cleared);
    const done = run(state, { type: 'view-request-done' });
    expect(run(done, { type: 'view-request-done' })).toBe(done);
  });

  it('expands a node to its neighbours and asks to centre and focus it', () => {
    const state = run(opened(), { type: 'view-request-done' }, { type: 'expand', node: 3 });
    expect(sorted(state.shown)).toEqual([2, 3, 4, 5]);
    expect(state.viewRequest).toEqual({ kind: 'center', node: 3, focus: true });
    expect(state.selected).toBe(4);
  });

  it('reveals a searched node that is not shown: selected, connected to the picture, centred once laid out', () => {
    const state = run(opened(), { type: 'view-request-done' }, { type: 'reveal', node: 0, laidOut: false });
    expect(state.selected).toBe(0);
    expect(state.tabStop).toBe(0);
    // 0's neighbour 1, and the shortest path on to the shown 3: 2.
    expect(sorted(state.shown)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(state.viewRequest).toEqual({ kind: 'center', node: 0, focus: true });
  });

  it('reveals a node already laid out by selecting it only: the view centres it at once', () => {
    const start = run(opened(), { type: 'view-request-done' });
    const state = run(start, { type: 'reveal', node: 5, laidOut: true });
    expect(state.selected).toBe(5);
    expect(state.shown).toBe(start.shown);
    expect(state.viewRequest).toBeNull();
  });

  it("shows the selection's whole lineage, and does nothing without a selection", () => {
    const state = run(opened(), { type: 'select', node: 2 }, { type: 'show-selected-lineage' });
    // Upstream of 2: 0, 1, 6; downstream: 3, 4, 5.
    expect(sorted(state.shown)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(state.viewRequest).toEqual({ kind: 'fit' });
    const cleared = run(opened(), { type: 'clear-selection' });
    expect(run(cleared, { type: 'show-selected-lineage' })).toBe(cleared);
  });

  it('shows all nodes, and goes back to one hop around the selection, else around the opening node', () => {
    const all = run(opened(), { type: 'show-all', nodeCount: 7 });
    expect(sorted(all.shown)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(sorted(run(all, { type: 'select', node: 1 }, { type: 'back-to-one-hop' }).shown)).toEqual([0, 1, 2]);
    const back = run(all, { type: 'clear-selection' }, { type: 'view-request-done' }, { type: 'back-to-one-hop' });
    expect(sorted(back.shown)).toEqual([3, 4, 5]);
    expect(back.viewRequest).toEqual({ kind: 'fit' });
  });
});
