import { useMemo, useReducer } from 'react';
import type { Dispatch } from 'react';
import type { LineageGraphResult } from '../../../shared/api/contract';
import { CompactLineage } from '../../../shared/lineage/compact-lineage';
import { explorerReducer, initialExplorerState } from './explorer-state';
import type { ExplorerAction, ExplorerState } from './explorer-state';
import { defaultFocus, lineageOf } from './shown-nodes';
import type { Lineage } from './shown-nodes';

export interface ExplorerModel {
  lineage: CompactLineage;
  state: ExplorerState;
  /** The selected node's lineage (distances both ways), or null when nothing is selected. */
  selection: Lineage | null;
  dispatch: Dispatch<ExplorerAction>;
}

/** The explorer's shown nodes, selection and tab stop, driven by explorerReducer. */
export function useExplorerState(graph: LineageGraphResult): ExplorerModel {
  const lineage = useMemo(() => CompactLineage.fromGraph(graph), [graph]);
  const [state, dispatch] = useReducer(
    (previous: ExplorerState, action: ExplorerAction) => explorerReducer(lineage, previous, action),
    graph,
    (initial) => initialExplorerState(lineage, defaultFocus(initial)),
  );
  const selection = useMemo(() => lineageOf(lineage, state.selected), [lineage, state.selected]);
  return { lineage, state, selection, dispatch };
}
