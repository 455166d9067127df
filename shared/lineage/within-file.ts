import { FormatError } from '../formats/format-error';
import { LineageError } from './lineage-error';

/** Runs a parse of `file`, re-locating any format error inside it: `lineage.json $.nodes[2].kind: ...`. */
export function withinFile<T>(file: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof LineageError) throw error;
    if (error instanceof FormatError) throw new LineageError(`${file} ${error.path}`, error.reason);
    throw error;
  }
}
