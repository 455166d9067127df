import { neutraliseField } from '../text/neutralise';
import { edgeEnds } from './lineage-figure';
import { pageMark, type AnswerState, type LineageFigure, type ReleaseReport, type ReportBlock } from './report-document';

/**
 * The record as one self-contained HTML file, safe to open offline: inline CSS, the lineage as
 * inline SVG, no script, and a policy that forbids every request (`default-src 'none'`), so even
 * an escaping mistake could fetch nothing. Every outside string is neutralised and escaped.
 */

export const REPORT_CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

/** One outside string as HTML text (also safe inside a quoted attribute). */
export function htmlText(text: string): string {
  return neutraliseField(text).replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

const ANSWER_COLOURS: Record<AnswerState, { background: string; border: string; icon: string }> = {
  approved: { background: '#e6f4ea', border: '#1e7b34', icon: '\u2713' },
  'needs-more': { background: '#fff4e0', border: '#a15c00', icon: '\u2026' },
  'not-approved': { background: '#fff4e0', border: '#a15c00', icon: '!' },
  blocked: { background: '#fde8e8', border: '#b3261e', icon: '\u2717' },
  'cannot-approve': { background: '#fde8e8', border: '#b3261e', icon: '\u2717' },
  'no-board': { background: '#eef0f3', border: '#555', icon: '?' },
};

const STYLE = `
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: #1b1b1b; margin: 0 auto; max-width: 1100px; padding: 24px; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 18px; margin: 28px 0 8px; border-bottom: 1px solid #ccc; } h3 { font-size: 15px; margin: 18px 0 6px; }
.mark { color: #444; font-size: 12px; overflow-wrap: anywhere; }
.answer { border-left: 6px solid; padding: 10px 14px; margin: 14px 0; }
.answer strong { font-size: 18px; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 0; } dt { font-weight: 600; } dd { margin: 0; overflow-wrap: anywhere; }
table { border-collapse: collapse; width: 100%; font-size: 12.5px; table-layout: fixed; }
th, td { border: 1px solid #ccc; padding: 3px 6px; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
thead { display: table-header-group; } tr { break-inside: avoid; }
.mono { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 11.5px; }
.empty { color: #555; font-style: italic; }
svg { max-width: 100%; height: auto; border: 1px solid #ddd; }
footer { margin-top: 32px; border-top: 1px solid #ccc; padding-top: 6px; }
@page { size: A4; margin: 16mm 14mm 20mm; }
@media print {
  body { max-width: none; padding: 0 0 28px; }
  footer.page-mark { position: fixed; bottom: 0; left: 0; right: 0; margin: 0; background: #fff; }
  h2 { break-after: avoid; }
}
`;

function block(part: ReportBlock): string {
  switch (part.kind) {
    case 'heading':
      return `<h${part.level}>${htmlText(part.text)}</h${part.level}>`;
    case 'paragraph':
      return `<p>${htmlText(part.text)}</p>`;
    case 'facts':
      return `<dl>${part.rows.map((row) => `<dt>${htmlText(row.label)}</dt><dd>${htmlText(row.value)}</dd>`).join('')}</dl>`;
    case 'list':
      return `<ul>${part.items.map((item) => `<li>${htmlText(item)}</li>`).join('')}</ul>`;
    case 'table': {
      if (part.rows.length === 0) return `<p class="empty">${htmlText(part.empty)}</p>`;
      const total = part.columns.reduce((sum, column) => sum + column.weight, 0);
      const columns = part.columns.map((column) => `<col style="width:${((column.weight / total) * 100).toFixed(1)}%">`).join('');
      const head = part.columns.map((column) => `<th scope="col">${htmlText(column.title)}</th>`).join('');
      const rows = part.rows
        .map((row) => `<tr>${part.columns.map((column, index) => `<td${column.mono ? ' class="mono"' : ''}>${htmlText(row[index] ?? '')}</td>`).join('')}</tr>`)
        .join('\n');
      return `<table><colgroup>${columns}</colgroup><thead><tr>${head}</tr></thead><tbody>\n${rows}\n</tbody></table>`;
    }
    case 'lineage':
      return lineageSvg(part.figure);
  }
}

/** The lineage as inline SVG: a box per node, a line per edge, labels clipped to their box. */
export function lineageSvg(figure: LineageFigure): string {
  const pad = 8;
  const { nodeWidth, nodeHeight } = figure;
  const lines = figure.edges
    .map(({ from, to }) => {
      const a = figure.nodes[from];
      const b = figure.nodes[to];
      if (a === undefined || b === undefined) return '';
      const [x1, y1, x2, y2] = edgeEnds(figure, a, b);
      return `<line x1="${x1 + pad}" y1="${y1 + pad}" x2="${x2 + pad}" y2="${y2 + pad}" stroke="#666" stroke-width="1.2" marker-end="url(#arrow)"/>`;
    })
    .join('');
  const boxes = figure.nodes
    .map(
      (node, index) =>
        `<g><clipPath id="clip${index}"><rect x="${node.x + pad}" y="${node.y + pad}" width="${nodeWidth}" height="${nodeHeight}"/></clipPath>` +
        `<rect x="${node.x + pad}" y="${node.y + pad}" width="${nodeWidth}" height="${nodeHeight}" rx="4" fill="#f4f6fa" stroke="#445"/>` +
        `<text clip-path="url(#clip${index})" x="${node.x + pad + 6}" y="${node.y + pad + 16}" font-size="12" font-weight="600">${htmlText(node.label)}</text>` +
        `<text clip-path="url(#clip${index})" x="${node.x + pad + 6}" y="${node.y + pad + 31}" font-size="11" fill="#555">${htmlText(node.kind)}</text></g>`,
    )
    .join('');
  const width = figure.width + 2 * pad;
  const height = figure.height + 2 * pad;
  return (
    `<svg role="img" aria-label="Lineage picture" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">` +
    `<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#666"/></marker></defs>` +
    `${lines}${boxes}</svg>`
  );
}

export function renderHtml(report: ReleaseReport): string {
  const mark = htmlText(pageMark(report));
  const colours = ANSWER_COLOURS[report.answer.state];
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${REPORT_CONTENT_SECURITY_POLICY}">
<meta name="referrer" content="no-referrer">
<title>${htmlText(`Release record: ${report.release}`)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>${htmlText(`Release record: ${report.release}`)}</h1>
<p class="mark">${mark}</p>
</header>
<section class="answer" style="background:${colours.background};border-color:${colours.border}" aria-label="The board's answer">
<strong><span aria-hidden="true">${colours.icon}</span> ${htmlText(report.answer.word)}: ${htmlText(report.answer.headline)}</strong>
<ul>${report.answer.reasons.map((reason) => `<li>${htmlText(reason)}</li>`).join('')}</ul>
</section>
${report.blocks.map(block).join('\n')}
<footer class="page-mark"><p class="mark">${mark}. ${htmlText(`Recorded at ${report.generatedAt}.`)}</p></footer>
</body>
</html>
`;
}
