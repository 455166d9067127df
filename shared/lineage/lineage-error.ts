import { FormatError } from '../formats/format-error';

/**
 * A lineage source that cannot become a graph: bad JSON or YAML, a missing field, an unknown
 * node id, a duplicate id, a cycle. `path` names the file and, where there is one, the JSON
 * path (`lineage.json $.edges[3].to`).
 */
export class LineageError extends FormatError {}
