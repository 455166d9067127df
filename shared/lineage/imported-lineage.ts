import type { Finding } from '../verify/report';
import type { LineageNodeKind } from './lineage-graph';

/** A node as one source describes it, before the sources are merged. */
export interface ImportedNode {
  id: string;
  kind: LineageNodeKind;
  /** False when the importer chose the kind (a DVC path is a dataset): a kind a source declares wins over it. */
  kindDeclared: boolean;
  name: string;
  version: string | null;
  subject: string | null;
  /**
   * True for datasets known by a name or path (OpenLineage, DVC): such a node links to the
   * manifest subject of the same name. Native nodes name their subject explicitly instead.
   */
  linkSubjectByName: boolean;
  /** Where the node is defined, for messages: `lineage.json $.nodes[2]`. */
  location: string;
}

export interface ImportedEdge {
  from: string;
  to: string;
  location: string;
}

/** What one lineage file contributes to the graph. */
export interface ImportedLineage {
  file: string;
  nodes: ImportedNode[];
  edges: ImportedEdge[];
  findings: Finding[];
}
