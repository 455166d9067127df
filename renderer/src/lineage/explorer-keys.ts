import type { CompactLineage } from '../../../shared/lineage/compact-lineage';
import { nearestInHeight, nodeBesideInLayer } from './layout-geometry';
import type { ShownLayout } from './useShownLayout';

/** Keys that, pressed on the graph itself (no node element focused), go to the tab stop. */
export const GRAPH_KEYS: readonly string[] = ['Enter', ' ', 'ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown'];

/** What a key pressed on a focused node asks for. */
export type NodeKeyCommand =
  | { kind: 'move'; node: number; local: number }
  | { kind: 'stay' }
  | { kind: 'expand'; node: number }
  | { kind: 'select'; node: number }
  | { kind: 'clear-selection' }
  | { kind: 'ignore' };

/**
 * The command for `key` on `node` (a lineage index): left and right go to the nearest node up or
 * downstream, up and down to the node beside it in its column ('stay' when there is none), Enter
 * expands, Space selects, Escape clears the selection; other keys and unshown nodes are ignored.
 */
export function nodeKeyCommand(key: string, node: number, current: ShownLayout, lineage: CompactLineage): NodeKeyCommand {
  const local = node < 0 ? -1 : current.localOf[node]!;
  if (local < 0) return { kind: 'ignore' };
  let target: number;
  switch (key) {
    case 'ArrowLeft':
    case 'ArrowRight': {
      const direction = key === 'ArrowLeft' ? 'upstream' : 'downstream';
      const candidates = Array.from(lineage.neighbours(node, direction), (neighbour) => current.localOf[neighbour]!).filter((candidate) => candidate >= 0);
      target = nearestInHeight(current.layout, local, candidates);
      break;
    }
    case 'ArrowUp':
    case 'ArrowDown':
      target = nodeBesideInLayer(current.layout, local, key === 'ArrowUp' ? -1 : 1);
      break;
    case 'Enter':
      return { kind: 'expand', node };
    case ' ':
      return { kind: 'select', node };
    case 'Escape':
      return { kind: 'clear-selection' };
    default:
      return { kind: 'ignore' };
  }
  return target < 0 ? { kind: 'stay' } : { kind: 'move', node: current.nodes[target]!, local: target };
}
