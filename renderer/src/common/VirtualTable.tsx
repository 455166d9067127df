import { useLayoutEffect, useRef, useState } from 'react';
import type { CSSProperties, ReactNode } from 'react';
import { listHeight, rowTop, visibleRowRange } from './windowing';

interface VirtualTableProps {
  /** The table's accessible name. */
  label: string;
  rowCount: number;
  /** Every row has exactly this height in CSS pixels; the windowing depends on it. */
  rowHeight: number;
  overscan?: number;
  /** One role="row" element with aria-rowindex={1}; it stays in view while the rows scroll. */
  header: ReactNode;
  /** One role="row" element for data row `index`, with aria-rowindex={index + 2} and the given style. */
  renderRow(index: number, style: CSSProperties): ReactNode;
  /** When this changes the table scrolls back to the top (e.g. a new filter). */
  resetScrollKey?: string;
  className?: string;
}

/**
 * An ARIA table that keeps only the rows in view (plus `overscan`) in the DOM, inside a scroll
 * container as tall as all rows. aria-rowcount and aria-rowindex tell assistive technology where
 * each rendered row sits in the whole table. The container is focusable so arrow keys, Page Up/Down
 * and Home/End scroll it.
 */
export function VirtualTable({ label, rowCount, rowHeight, overscan = 8, header, renderRow, resetScrollKey, className }: VirtualTableProps) {
  const scrollerRef = useRef<HTMLDivElement>(null);
  const headerRef = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewportHeight, setViewportHeight] = useState(0);

  useLayoutEffect(() => {
    const scroller = scrollerRef.current;
    if (scroller === null) return;
    const measure = () => {
      const headerHeight = headerRef.current?.offsetHeight ?? 0;
      setViewportHeight(Math.max(0, scroller.clientHeight - headerHeight));
      setScrollTop(scroller.scrollTop);
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(scroller);
    return () => observer.disconnect();
  }, []);

  useLayoutEffect(() => {
    const scroller = scrollerRef.current;
    if (scroller === null) return;
    scroller.scrollTop = 0;
    setScrollTop(0);
  }, [resetScrollKey]);

  // The browser clamps scrollTop when the list shrinks, without always firing a scroll event.
  useLayoutEffect(() => {
    const scroller = scrollerRef.current;
    if (scroller !== null) setScrollTop(scroller.scrollTop);
  }, [rowCount]);

  const { start, end } = visibleRowRange({ scrollTop, viewportHeight, rowHeight, rowCount, overscan });
  const rows: ReactNode[] = [];
  for (let index = start; index < end; index++) {
    rows.push(
      renderRow(index, {
        position: 'absolute',
        top: 0,
        left: 0,
        right: 0,
        height: rowHeight,
        transform: `translateY(${rowTop(index, rowHeight)}px)`,
      }),
    );
  }

  return (
    <div
      ref={scrollerRef}
      role="table"
      aria-label={label}
      aria-rowcount={rowCount + 1}
      tabIndex={0}
      className={`virtual-table${className === undefined ? '' : ` ${className}`}`}
      onScroll={(event) => setScrollTop(event.currentTarget.scrollTop)}
    >
      <div role="rowgroup" ref={headerRef} className="virtual-table-head">
        {header}
      </div>
      <div role="rowgroup" className="virtual-table-body" style={{ height: listHeight(rowCount, rowHeight) }}>
        {rows}
      </div>
    </div>
  );
}
