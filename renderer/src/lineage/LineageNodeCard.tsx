import { createContext, memo, useContext } from 'react';
import type { CSSProperties } from 'react';
import { Handle, Position } from '@xyflow/react';
import type { Node, NodeProps } from '@xyflow/react';
import type { LineageNodeKind } from '../../../shared/lineage/lineage-graph';
import { KIND_LOOK } from './kind-look';
import type { Relation, SubjectState } from './node-status';
import { OutsideText, shownText } from '../common/OutsideText';

export interface LineageNodeData extends Record<string, unknown> {
  lineageIndex: number;
  name: string;
  kind: LineageNodeKind;
  version: string | null;
  state: SubjectState;
  relation: Relation;
  /** Neighbours not shown yet. */
  hidden: number;
}

export type LineageFlowNode = Node<LineageNodeData, 'lineage'>;

/** What a node's own controls ask of the view; a context, so node data stays plain and memoisable. */
export interface LineageNodeActions {
  expand(lineageIndex: number): void;
}

export const LineageNodeActionsContext = createContext<LineageNodeActions>({ expand: () => undefined });

const STATE_BADGE: Partial<Record<SubjectState, { icon: string; word: string; tone: string }>> = {
  verified: { icon: '✓', word: 'verified', tone: 'good' },
  'digest-matches': { icon: '!', word: 'release not verified', tone: 'warn' },
  failed: { icon: '✗', word: 'failed verification', tone: 'bad' },
  'not-checked': { icon: '–', word: 'not checked', tone: 'neutral' },
  'not-in-manifest': { icon: '?', word: 'not in manifest', tone: 'warn' },
  pending: { icon: '…', word: 'verifying', tone: 'neutral' },
};

/** One lineage node: kind icon, colour and word, name, version, subject status, and "+n" for hidden neighbours. */
export const LineageNodeCard = memo(function LineageNodeCard({ data }: NodeProps<LineageFlowNode>) {
  const { expand } = useContext(LineageNodeActionsContext);
  const look = KIND_LOOK[data.kind];
  const badge = STATE_BADGE[data.state];
  return (
    <div className="lineage-node" style={{ '--kind-colour': look.colour } as CSSProperties}>
      <Handle type="target" position={Position.Left} isConnectable={false} />
      <svg className="lineage-node-icon" viewBox="0 0 16 16" aria-hidden="true">
        <path d={look.icon} fillRule="evenodd" />
      </svg>
      <div className="lineage-node-text">
        <span className="lineage-node-name" title={shownText(data.name)}>
          <OutsideText text={data.name} />
        </span>
        <span className="lineage-node-detail">
          {look.word}
          {data.version !== null && (
            <>
              {' · v'}
              <OutsideText text={data.version} />
            </>
          )}
          {badge && (
            <span className={`lineage-node-state tone-${badge.tone}`}>
              {' · '}
              <span aria-hidden="true">{badge.icon}</span> {badge.word}
            </span>
          )}
        </span>
      </div>
      {data.hidden > 0 && (
        <button
          type="button"
          className="lineage-node-expand nodrag nopan"
          // Enter on the focused node does the same; one tab stop per node is enough.
          tabIndex={-1}
          aria-label={`Show ${data.hidden} hidden ${data.hidden === 1 ? 'neighbour' : 'neighbours'} of ${shownText(data.name)}`}
          title="Show hidden neighbours (Enter)"
          onClick={(event) => {
            event.stopPropagation();
            expand(data.lineageIndex);
          }}
        >
          +{data.hidden}
        </button>
      )}
      <Handle type="source" position={Position.Right} isConnectable={false} />
    </div>
  );
});

/** Module scope: React Flow re-mounts every node when this object changes identity. */
export const LINEAGE_NODE_TYPES = { lineage: LineageNodeCard };
