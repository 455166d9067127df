import type { lineageCommands } from '../../../shared/api/commands/lineage-commands';
import { impactOf, pathsBetween, UnknownLineageNodeError } from '../../../shared/lineage/lineage-queries';
import { HandlerError } from '../api-error';
import { LineageCache } from '../../services/lineage/lineage-cache';
import type { LoadedLineage } from '../../services/lineage/load-lineage';
import type { HandlerServices, HandlersFor } from './handler-kit';

export function createLineageHandlers(_services: HandlerServices): HandlersFor<typeof lineageCommands> {
  const cache = new LineageCache();

  // A lineage that cannot be read throws a LineageError, a FormatError: the caller sees invalid-format.
  const load = (path: string): Promise<LoadedLineage> => cache.get(path);
  const query = <T>(run: () => T): T => {
    try {
      return run();
    } catch (error) {
      if (error instanceof UnknownLineageNodeError) throw new HandlerError('not-found', error.message);
      throw error;
    }
  };

  return {
    'lineage.graph': async ({ path }) => {
      const { lineage } = await load(path);
      return { nodes: lineage.graph.nodes, edges: lineage.graph.edges, sourceFiles: lineage.sourceFiles, findings: lineage.findings };
    },

    'lineage.impact': async ({ path, nodeId, direction }) => {
      const { lineage, knowledge } = await load(path);
      return query(() => impactOf(lineage, nodeId, direction, knowledge));
    },

    'lineage.path': async ({ path, from, to }) => {
      const { lineage } = await load(path);
      return query(() => pathsBetween(lineage, from, to));
    },
  };
}
