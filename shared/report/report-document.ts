/**
 * The record of one release for the board's minutes, as pure data: built once (build-report.ts)
 * and drawn by each renderer (Markdown, HTML, PDF) in the same order, so the three formats
 * always say the same thing. Every string here may come from a bundle and is hostile: each
 * renderer neutralises and escapes it for its own format.
 */

/** What the board may do with the release, most decisive first. */
export type AnswerState = 'approved' | 'needs-more' | 'not-approved' | 'blocked' | 'cannot-approve' | 'no-board';

export interface BoardAnswer {
  state: AnswerState;
  /** A word a reader can tell apart without colour: APPROVED, PENDING, NOT APPROVED, BLOCKED, REFUSED, UNKNOWN. */
  word: string;
  /** The answer in a line, e.g. "Needs 1 more: privacy seat". */
  headline: string;
  /** Why, integrity first. */
  reasons: string[];
}

export interface TableColumn {
  title: string;
  /** Share of the table's width. */
  weight: number;
  /** Digests and key IDs: set in a monospaced font. */
  mono?: boolean;
}

export interface LineageFigureNode {
  label: string;
  kind: string;
  /** Top-left corner and size, in the figure's own units; the figure starts at (0, 0). */
  x: number;
  y: number;
}

export interface LineageFigure {
  /** Which way the edges run: left to right, or (for a graph far wider than tall) top to bottom. */
  direction: 'right' | 'down';
  nodes: LineageFigureNode[];
  /** Indexes into `nodes`. */
  edges: { from: number; to: number }[];
  width: number;
  height: number;
  nodeWidth: number;
  nodeHeight: number;
}

export type ReportBlock =
  | { kind: 'heading'; level: 2 | 3; text: string }
  | { kind: 'paragraph'; text: string }
  | { kind: 'facts'; rows: { label: string; value: string }[] }
  | { kind: 'table'; columns: TableColumn[]; rows: string[][]; empty: string }
  | { kind: 'list'; items: string[] }
  | { kind: 'lineage'; figure: LineageFigure };

export interface ReleaseReport {
  /** `name version`, or a plain description when the manifest names none. */
  release: string;
  /** sha256 hex of the manifest payload, or a plain description when it cannot be read. */
  manifestDigest: string;
  generatedAt: string;
  answer: BoardAnswer;
  blocks: ReportBlock[];
}

/** The line every page carries: which release, and the manifest digest its approvals bind to. */
export function pageMark(report: Pick<ReleaseReport, 'release' | 'manifestDigest'>): string {
  return `${report.release} - manifest sha256:${report.manifestDigest}`;
}
