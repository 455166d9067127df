import type { lineageCommands } from '../../../shared/api/commands/lineage-commands';
import { impactOf, pathsBetween } from '../../../shared/lineage/lineage-queries';
import type { HandlerServices, HandlersFor } from './handler-kit';

/** Lineage questions go to the session, which reads and merges the lineage once. */
export function createLineageHandlers({ sessions }: HandlerServices): HandlersFor<typeof lineageCommands> {
  return {
    'lineage.graph': async ({ sessionId }) => {
      const { lineage } = await sessions.get(sessionId).lineage();
      return { nodes: lineage.graph.nodes, edges: lineage.graph.edges, sourceFiles: lineage.sourceFiles, findings: lineage.findings };
    },

    'lineage.impact': async ({ sessionId, nodeId, direction }) => {
      const { lineage, knowledge } = await sessions.get(sessionId).lineage();
      return impactOf(lineage, nodeId, direction, knowledge);
    },

    'lineage.path': async ({ sessionId, from, to }) => {
      const { lineage } = await sessions.get(sessionId).lineage();
      return pathsBetween(lineage, from, to);
    },
  };
}
