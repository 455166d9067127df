import { useEffect, useRef, useState } from 'react';
import type { CompactLineage } from '../../../shared/lineage/compact-lineage';
import type { LayeredLayout } from '../../../shared/lineage/layout/layered-layout';
import type { LayoutInput } from '../../../shared/lineage/layout/layout-input';
import { LayoutClient } from './layout-client';
import { layoutInputOfShown, shownInOrder } from './shown-nodes';

/** A layout of the shown nodes: `nodes[local]` is the lineage index of layout node `local`. */
export interface ShownLayout {
  layout: LayeredLayout;
  nodes: Int32Array;
  /** The edges among the shown nodes, in layout-local indexes. */
  edges: LayoutInput;
  /** Lineage index → layout-local index, -1 when not shown. */
  localOf: Int32Array;
  milliseconds: number;
}

export interface ShownLayoutState {
  /** The latest finished layout; kept on screen while the next one is computed. */
  current: ShownLayout | null;
  /** Nodes being laid out now, or null when the layout is up to date. */
  layingOut: number | null;
  error: string | null;
}

/** Lays out the shown nodes in the worker whenever they change. */
export function useShownLayout(lineage: CompactLineage, shown: ReadonlySet<number>): ShownLayoutState {
  const clientRef = useRef<LayoutClient | null>(null);
  const [state, setState] = useState<ShownLayoutState>({ current: null, layingOut: shown.size, error: null });

  useEffect(() => {
    const client = new LayoutClient();
    clientRef.current = client;
    return () => {
      client.dispose();
      clientRef.current = null;
    };
  }, []);

  useEffect(() => {
    const client = clientRef.current;
    if (client === null) return;
    let current = true;
    const nodes = shownInOrder(shown);
    const edges = layoutInputOfShown(lineage, nodes);
    setState((previous) => ({ ...previous, layingOut: nodes.length, error: null }));
    client.layout(edges).then(
      ({ layout, milliseconds }) => {
        if (!current) return;
        const localOf = new Int32Array(lineage.nodeCount).fill(-1);
        nodes.forEach((node, local) => (localOf[node] = local));
        setState({ current: { layout, nodes, edges, localOf, milliseconds }, layingOut: null, error: null });
      },
      (error: unknown) => {
        if (current) setState((previous) => ({ ...previous, layingOut: null, error: error instanceof Error ? error.message : String(error) }));
      },
    );
    return () => {
      current = false;
    };
  }, [lineage, shown]);

  return state;
}
