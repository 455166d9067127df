import { edgeEnds } from '../lineage-figure';
import { type AnswerState, type LineageFigure, type ReleaseReport, type ReportBlock, type TableColumn } from '../report-document';
import type { StandardFont } from './font-metrics';
import { textWidth } from './font-metrics';
import { fitBytes, PageCanvas, wrapBytes, type Rgb } from './page-canvas';
import { PAPER_SIZES, writePdfFile, type PaperName } from './pdf-file';
import { toWinAnsi } from './win-ansi';

/**
 * The record as a paginated PDF, made without a browser: text set in the standard fonts and
 * wrapped by their metrics, tables whose rows wrap and whose header repeats on every page they
 * run onto, the lineage drawn as boxes and lines, and on every page a footer with the release,
 * its manifest digest and "page n of m".
 */

const MARGIN_X = 48;
const MARGIN_TOP = 48;
/** Space kept under the body for the footer. */
const MARGIN_BOTTOM = 64;

const BODY: TextStyle = { font: 'Helvetica', size: 9.5, leading: 12.5 };
const BOLD: TextStyle = { font: 'Helvetica-Bold', size: 9.5, leading: 12.5 };
const CELL: TextStyle = { font: 'Helvetica', size: 7.8, leading: 9.6 };
const CELL_MONO: TextStyle = { font: 'Courier', size: 7.2, leading: 9.6 };
const CELL_HEAD: TextStyle = { font: 'Helvetica-Bold', size: 7.8, leading: 9.6 };
const CELL_PAD = 3;

const GREY_LINE: Rgb = [0.7, 0.7, 0.7];
const HEADER_FILL: Rgb = [0.92, 0.93, 0.95];

const ANSWER_COLOURS: Record<AnswerState, { fill: Rgb; stroke: Rgb }> = {
  approved: { fill: [0.9, 0.96, 0.92], stroke: [0.12, 0.48, 0.2] },
  'needs-more': { fill: [1, 0.96, 0.88], stroke: [0.63, 0.36, 0] },
  'not-approved': { fill: [1, 0.96, 0.88], stroke: [0.63, 0.36, 0] },
  blocked: { fill: [0.99, 0.91, 0.91], stroke: [0.7, 0.15, 0.12] },
  'cannot-approve': { fill: [0.99, 0.91, 0.91], stroke: [0.7, 0.15, 0.12] },
  'no-board': { fill: [0.93, 0.94, 0.95], stroke: [0.33, 0.33, 0.33] },
};

interface TextStyle {
  font: StandardFont;
  size: number;
  leading: number;
}

/** Lays the report out page by page, top to bottom. */
class PageFlow {
  readonly pages: PageCanvas[] = [];
  private page!: PageCanvas;
  /** Distance from the top of the page to where the next thing goes. */
  y = 0;
  readonly left = MARGIN_X;
  readonly width: number;
  private readonly bottom: number;

  constructor(private readonly paper: { width: number; height: number }) {
    this.width = paper.width - 2 * MARGIN_X;
    this.bottom = paper.height - MARGIN_BOTTOM;
    this.newPage();
  }

  get canvas(): PageCanvas {
    return this.page;
  }

  get room(): number {
    return this.bottom - this.y;
  }

  get bodyHeight(): number {
    return this.bottom - MARGIN_TOP;
  }

  newPage(): void {
    this.page = new PageCanvas(this.paper);
    this.pages.push(this.page);
    this.y = MARGIN_TOP;
  }

  /** A new page unless `height` fits on this one (and this one is not fresh). */
  ensure(height: number): void {
    if (height > this.room && this.y > MARGIN_TOP) this.newPage();
  }

  /** Wrapped lines of text; a paragraph breaks across pages between lines. */
  lines(text: string, style: TextStyle, indent = 0, colour: Rgb = [0, 0, 0]): void {
    for (const line of wrapBytes(toWinAnsi(text), style.font, style.size, this.width - indent)) {
      this.ensure(style.leading);
      this.page.text(this.left + indent, this.y, style.font, style.size, line, colour);
      this.y += style.leading;
    }
  }
}

export function renderPdf(report: ReleaseReport, paperName: PaperName = 'a4'): Uint8Array {
  const paper = PAPER_SIZES[paperName];
  const flow = new PageFlow(paper);
  drawTitle(flow, report);
  for (const block of report.blocks) drawBlock(flow, block);
  const total = flow.pages.length;
  flow.pages.forEach((page, index) => drawFooter(page, report, index + 1, total));
  return writePdfFile(
    flow.pages.map((page) => page.content()),
    paper,
    `Release record: ${report.release}`,
  );
}

function drawTitle(flow: PageFlow, report: ReleaseReport): void {
  flow.lines(`Release record: ${report.release}`, { font: 'Helvetica-Bold', size: 17, leading: 21 });
  flow.lines(`Manifest sha256:${report.manifestDigest}`, { font: 'Courier', size: 8, leading: 11 });
  flow.lines(`Recorded at ${report.generatedAt}`, { font: 'Helvetica', size: 8, leading: 11 }, 0, [0.3, 0.3, 0.3]);
  flow.y += 8;

  const headline = { font: 'Helvetica-Bold', size: 13, leading: 16 } as const;
  const inner = flow.width - 24;
  const headlineLines = wrapBytes(toWinAnsi(`${report.answer.word}: ${report.answer.headline}`), headline.font, headline.size, inner);
  const reasonLines = report.answer.reasons.map((reason) => wrapBytes(toWinAnsi(reason), BODY.font, BODY.size, inner - 10));
  const height = 16 + headlineLines.length * headline.leading + reasonLines.flat().length * BODY.leading + 4;
  const boxHeight = Math.min(height, flow.bodyHeight - (flow.y - MARGIN_TOP));
  const colours = ANSWER_COLOURS[report.answer.state];
  flow.canvas.rect(flow.left, flow.y, flow.width, boxHeight, { fill: colours.fill });
  flow.canvas.rect(flow.left, flow.y, 5, boxHeight, { fill: colours.stroke });
  flow.y += 8;
  for (const line of headlineLines) {
    flow.canvas.text(flow.left + 14, flow.y, headline.font, headline.size, line, colours.stroke);
    flow.y += headline.leading;
  }
  for (const lines of reasonLines) {
    lines.forEach((line, index) => {
      flow.ensure(BODY.leading);
      if (index === 0) flow.canvas.plainText(flow.left + 14, flow.y, BODY.font, BODY.size, '-');
      flow.canvas.text(flow.left + 24, flow.y, BODY.font, BODY.size, line);
      flow.y += BODY.leading;
    });
  }
  flow.y += 12;
}

function drawBlock(flow: PageFlow, block: ReportBlock): void {
  switch (block.kind) {
    case 'heading': {
      const style = block.level === 2 ? { font: 'Helvetica-Bold' as const, size: 13, leading: 17 } : { font: 'Helvetica-Bold' as const, size: 10.5, leading: 14 };
      flow.y += block.level === 2 ? 10 : 4;
      // A heading never ends a page: it moves with the first lines of what it heads.
      flow.ensure(style.leading + 40);
      flow.lines(block.text, style);
      if (block.level === 2) flow.canvas.line(flow.left, flow.y, flow.left + flow.width, flow.y, GREY_LINE);
      flow.y += 4;
      return;
    }
    case 'paragraph':
      flow.lines(block.text, BODY);
      flow.y += 4;
      return;
    case 'list':
      for (const item of block.items) {
        flow.ensure(BODY.leading);
        flow.canvas.plainText(flow.left + 4, flow.y, BODY.font, BODY.size, '-');
        flow.lines(item, BODY, 14);
      }
      flow.y += 4;
      return;
    case 'facts':
      drawFacts(flow, block.rows);
      return;
    case 'table':
      if (block.rows.length === 0) {
        flow.lines(block.empty, { ...BODY, font: 'Helvetica' }, 0, [0.35, 0.35, 0.35]);
        flow.y += 4;
        return;
      }
      drawTable(flow, block.columns, block.rows);
      return;
    case 'lineage':
      drawLineage(flow, block.figure);
      return;
  }
}

function drawFacts(flow: PageFlow, rows: { label: string; value: string }[]): void {
  const labelWidth = 130;
  for (const row of rows) {
    const labelLines = wrapBytes(toWinAnsi(row.label), BOLD.font, BOLD.size, labelWidth - 8);
    const valueLines = wrapBytes(toWinAnsi(row.value), BODY.font, BODY.size, flow.width - labelWidth);
    const count = Math.max(labelLines.length, valueLines.length);
    for (let index = 0; index < count; index++) {
      flow.ensure(BODY.leading);
      const label = labelLines[index];
      const value = valueLines[index];
      if (label) flow.canvas.text(flow.left, flow.y, BOLD.font, BOLD.size, label);
      if (value) flow.canvas.text(flow.left + labelWidth, flow.y, BODY.font, BODY.size, value);
      flow.y += BODY.leading;
    }
    flow.y += 2;
  }
  flow.y += 4;
}

/**
 * A table whose cells wrap within their columns. A row that does not fit moves to the next
 * page, under the header drawn again; a row taller than a page is split between lines.
 */
function drawTable(flow: PageFlow, columns: TableColumn[], rows: string[][]): void {
  const total = columns.reduce((sum, column) => sum + column.weight, 0);
  const widths = columns.map((column) => (column.weight / total) * flow.width);
  const lefts = widths.map((_, index) => flow.left + widths.slice(0, index).reduce((sum, width) => sum + width, 0));
  const styleOf = (column: TableColumn) => (column.mono ? CELL_MONO : CELL);
  const wrapRow = (cells: string[], style: (column: TableColumn) => TextStyle) =>
    columns.map((column, index) => {
      const cellStyle = style(column);
      return wrapBytes(toWinAnsi(cells[index] ?? ''), cellStyle.font, cellStyle.size, Math.max(widths[index]! - 2 * CELL_PAD, 10));
    });
  const header = wrapRow(
    columns.map((column) => column.title),
    () => CELL_HEAD,
  );
  const headerHeight = Math.max(...header.map((lines) => lines.length)) * CELL.leading + 2 * CELL_PAD;

  const drawHeader = () => {
    columns.forEach((_, index) => {
      flow.canvas.rect(lefts[index]!, flow.y, widths[index]!, headerHeight, { fill: HEADER_FILL, stroke: GREY_LINE });
      header[index]!.forEach((line, lineIndex) => flow.canvas.text(lefts[index]! + CELL_PAD, flow.y + CELL_PAD + lineIndex * CELL.leading, CELL_HEAD.font, CELL_HEAD.size, line));
    });
    flow.y += headerHeight;
  };

  flow.ensure(headerHeight + CELL.leading + 2 * CELL_PAD);
  drawHeader();
  for (const row of rows) {
    const cells = wrapRow(row, styleOf);
    let done = 0;
    const lineCount = Math.max(...cells.map((lines) => lines.length));
    while (done < lineCount) {
      const remaining = lineCount - done;
      let fit = Math.floor((flow.room - 2 * CELL_PAD) / CELL.leading);
      // Keep a short row whole, and never leave a lone line of a long row at a page's foot.
      if (fit < Math.min(remaining, 3)) {
        flow.newPage();
        drawHeader();
        fit = Math.floor((flow.room - 2 * CELL_PAD) / CELL.leading);
      }
      const take = Math.min(fit, remaining);
      const height = take * CELL.leading + 2 * CELL_PAD;
      columns.forEach((column, index) => {
        flow.canvas.rect(lefts[index]!, flow.y, widths[index]!, height, { stroke: GREY_LINE });
        const style = styleOf(column);
        cells[index]!.slice(done, done + take).forEach((line, lineIndex) =>
          flow.canvas.text(lefts[index]! + CELL_PAD, flow.y + CELL_PAD + lineIndex * CELL.leading + (CELL.leading - style.leading), style.font, style.size, line),
        );
      });
      flow.y += height;
      done += take;
    }
  }
  flow.y += 8;
}

/** The lineage as boxes and lines, scaled to the page's width (and height), labels never below a readable size. */
function drawLineage(flow: PageFlow, figure: LineageFigure): void {
  const scale = Math.min(1, flow.width / figure.width, (flow.bodyHeight - 20) / figure.height);
  const height = figure.height * scale;
  flow.ensure(height + 10);
  const top = flow.y + 4;
  const left = flow.left + (flow.width - figure.width * scale) / 2;
  const boxWidth = figure.nodeWidth * scale;
  const boxHeight = figure.nodeHeight * scale;
  const labelSize = Math.max(5.5, 9 * scale);
  const kindSize = Math.max(5, 7.5 * scale);
  const colour: Rgb = [0.35, 0.35, 0.4];
  for (const { from, to } of figure.edges) {
    const a = figure.nodes[from];
    const b = figure.nodes[to];
    if (a === undefined || b === undefined) continue;
    const [fromX, fromY, toX, toY] = edgeEnds(figure, a, b);
    const x1 = left + fromX * scale;
    const y1 = top + fromY * scale;
    const x2 = left + toX * scale;
    const y2 = top + toY * scale;
    flow.canvas.line(x1, y1, x2, y2, colour);
    // An arrowhead: two short strokes back from the target along the edge.
    const angle = Math.atan2(y2 - y1, x2 - x1);
    for (const turn of [0.45, -0.45]) flow.canvas.line(x2, y2, x2 - 5 * Math.cos(angle + turn), y2 - 5 * Math.sin(angle + turn), colour);
  }
  for (const node of figure.nodes) {
    const x = left + node.x * scale;
    const y = top + node.y * scale;
    flow.canvas.rect(x, y, boxWidth, boxHeight, { fill: [0.96, 0.97, 0.98], stroke: [0.27, 0.27, 0.33] });
    const room = boxWidth - 6;
    flow.canvas.text(x + 3, y + 3, 'Helvetica-Bold', labelSize, fitBytes(toWinAnsi(node.label), 'Helvetica-Bold', labelSize, room));
    if (boxHeight > labelSize + kindSize + 6) flow.canvas.text(x + 3, y + 5 + labelSize, 'Helvetica', kindSize, fitBytes(toWinAnsi(node.kind), 'Helvetica', kindSize, room), [0.35, 0.35, 0.35]);
  }
  flow.y = top + height + 10;
}

function drawFooter(page: PageCanvas, report: ReleaseReport, number: number, total: number): void {
  const width = page.paper.width - 2 * MARGIN_X;
  const top = page.paper.height - MARGIN_BOTTOM + 22;
  page.line(MARGIN_X, top - 6, MARGIN_X + width, top - 6, GREY_LINE);
  const pageText = toWinAnsi(`page ${number} of ${total}`);
  const pageWidth = textWidth('Helvetica', pageText, 8);
  page.text(MARGIN_X + width - pageWidth, top, 'Helvetica', 8, pageText);
  page.text(MARGIN_X, top, 'Helvetica-Bold', 8, fitBytes(toWinAnsi(report.release), 'Helvetica-Bold', 8, width - pageWidth - 16));
  page.text(MARGIN_X, top + 11, 'Courier', 7, fitBytes(toWinAnsi(`manifest sha256:${report.manifestDigest}`), 'Courier', 7, width));
}
