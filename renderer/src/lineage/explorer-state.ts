import type { CompactLineage } from '../../../shared/lineage/compact-lineage';
import { lineageMask, lineageOf, withMarked, withNeighbours, withNodeConnected } from './shown-nodes';

/** What the view should do once the next layout arrives: fit the whole drawing, or centre one node. */
export type ViewRequest = { kind: 'fit' } | { kind: 'center'; node: number; focus: boolean };

/**
 * The lineage explorer's state: which nodes are shown, which is selected (its lineage is
 * highlighted), which holds the graph's one tab stop, and what the view does with the next layout.
 */
export interface ExplorerState {
  /** The node the view opened on; "back to one hop" returns to it when nothing is selected. */
  opening: number;
  shown: ReadonlySet<number>;
  selected: number | null;
  tabStop: number;
  viewRequest: ViewRequest | null;
}

export type ExplorerAction =
  /** A click, Space, or a pick in the overview: select the node and move the tab stop to it. */
  | { type: 'select'; node: number }
  /** Escape. */
  | { type: 'clear-selection' }
  /** An arrow key moved the tab stop. */
  | { type: 'move-tab-stop'; node: number }
  /** Enter or "+n": show the node's neighbours and centre it. */
  | { type: 'expand'; node: number }
  /**
   * A node picked in the search: selected; when it is not laid out yet, shown connected to the
   * picture and centred once laid out (when it is, the view centres it at once, no request).
   */
  | { type: 'reveal'; node: number; laidOut: boolean }
  /** "Show the selection's whole lineage". */
  | { type: 'show-selected-lineage' }
  /** "Show all n nodes". */
  | { type: 'show-all'; nodeCount: number }
  /** "Back to one hop": the selection (or the opening node) and its neighbours. */
  | { type: 'back-to-one-hop' }
  /** The view did what the request asked. */
  | { type: 'view-request-done' };

export function initialExplorerState(lineage: CompactLineage, opening: number): ExplorerState {
  return { opening, shown: withNeighbours(lineage, new Set(), opening), selected: opening, tabStop: opening, viewRequest: { kind: 'fit' } };
}

/** The next state. `shown` keeps its identity unless the shown nodes change, since a new set means a new layout. */
export function explorerReducer(lineage: CompactLineage, state: ExplorerState, action: ExplorerAction): ExplorerState {
  switch (action.type) {
    case 'select':
      return state.selected === action.node && state.tabStop === action.node ? state : { ...state, selected: action.node, tabStop: action.node };
    case 'clear-selection':
      return state.selected === null ? state : { ...state, selected: null };
    case 'move-tab-stop':
      return state.tabStop === action.node ? state : { ...state, tabStop: action.node };
    case 'expand':
      return { ...state, shown: withNeighbours(lineage, state.shown, action.node), viewRequest: { kind: 'center', node: action.node, focus: true } };
    case 'reveal': {
      const selected = { ...state, selected: action.node, tabStop: action.node };
      if (action.laidOut && state.shown.has(action.node)) return selected;
      return { ...selected, shown: withNodeConnected(lineage, state.shown, action.node), viewRequest: { kind: 'center', node: action.node, focus: true } };
    }
    case 'show-selected-lineage': {
      const selection = lineageOf(lineage, state.selected);
      if (selection === null) return state;
      return { ...state, shown: withMarked(state.shown, lineageMask(selection)), viewRequest: { kind: 'fit' } };
    }
    case 'show-all':
      return { ...state, shown: new Set(Array.from({ length: action.nodeCount }, (_, index) => index)), viewRequest: { kind: 'fit' } };
    case 'back-to-one-hop':
      return { ...state, shown: withNeighbours(lineage, new Set(), state.selected ?? state.opening), viewRequest: { kind: 'fit' } };
    case 'view-request-done':
      return state.viewRequest === null ? state : { ...state, viewRequest: null };
  }
}
