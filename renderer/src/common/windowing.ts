// The arithmetic of a fixed-row-height virtual list: which rows to put in the DOM for a scroll position.

export interface ViewportInput {
  scrollTop: number;
  viewportHeight: number;
  rowHeight: number;
  rowCount: number;
  /** Rows rendered beyond each edge of the viewport, so fast scrolling does not show blanks. */
  overscan: number;
}

/** Rows [start, end) to render. */
export interface RowRange {
  start: number;
  end: number;
}

export function visibleRowRange({ scrollTop, viewportHeight, rowHeight, rowCount, overscan }: ViewportInput): RowRange {
  if (rowCount <= 0 || rowHeight <= 0) return { start: 0, end: 0 };
  const top = Math.max(0, scrollTop);
  const firstVisible = Math.floor(top / rowHeight);
  const endVisible = Math.ceil((top + Math.max(0, viewportHeight)) / rowHeight);
  const start = clamp(firstVisible - overscan, 0, rowCount);
  const end = clamp(Math.max(endVisible, firstVisible + 1) + overscan, start, rowCount);
  return { start, end };
}

export function listHeight(rowCount: number, rowHeight: number): number {
  return Math.max(0, rowCount) * rowHeight;
}

export function rowTop(index: number, rowHeight: number): number {
  return index * rowHeight;
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
