import { neutraliseField } from '../text/neutralise';
import { pageMark, type ReleaseReport, type ReportBlock } from './report-document';

/**
 * The record as Markdown that pastes into a wiki page or a pull request. Every outside string
 * is one line (its controls and line breaks made visible), its Markdown and HTML characters
 * escaped, so a name can neither break a table (a pipe), open code (a backtick), nor inject
 * markup or a link.
 */

const MARKDOWN_SPECIAL = /[\\`*_{}[\]()<>#!|~&"]/g;

/** One outside string as inert Markdown text. */
export function markdownText(text: string): string {
  return neutraliseField(text).replace(MARKDOWN_SPECIAL, (character) => {
    if (character === '<') return '&lt;';
    if (character === '>') return '&gt;';
    if (character === '&') return '&amp;';
    if (character === '"') return '&quot;';
    return '\\' + character;
  });
}

function block(part: ReportBlock): string {
  switch (part.kind) {
    case 'heading':
      return `${'#'.repeat(part.level)} ${markdownText(part.text)}`;
    case 'paragraph':
      return markdownText(part.text);
    case 'facts':
      return part.rows.map((row) => `- **${markdownText(row.label)}:** ${markdownText(row.value)}`).join('\n');
    case 'list':
      return part.items.map((item) => `- ${markdownText(item)}`).join('\n');
    case 'table': {
      if (part.rows.length === 0) return `_${markdownText(part.empty)}_`;
      const header = `| ${part.columns.map((column) => markdownText(column.title)).join(' | ')} |`;
      const rule = `|${part.columns.map(() => ' --- |').join('')}`;
      const rows = part.rows.map((row) => `| ${part.columns.map((column, index) => cell(row[index] ?? '', column.mono === true)).join(' | ')} |`);
      return [header, rule, ...rows].join('\n');
    }
    case 'lineage':
      return part.figure.edges.length === 0 && part.figure.nodes.length > 0
        ? `_${markdownText(`Lineage picture: ${part.figure.nodes.length} nodes, no edges (the HTML and PDF records draw it).`)}_`
        : `_${markdownText(`Lineage picture: ${part.figure.nodes.length} nodes (the HTML and PDF records draw it; the edges follow).`)}_`;
  }
}

function cell(text: string, mono: boolean): string {
  const escaped = markdownText(text);
  return mono && escaped !== '' && !/[\\&]/.test(escaped) ? `\`${escaped}\`` : escaped;
}

export function renderMarkdown(report: ReleaseReport): string {
  const mark = markdownText(pageMark(report));
  const parts = [
    `# ${markdownText(`Release record: ${report.release}`)}`,
    `_${mark}_`,
    `**${markdownText(`${report.answer.word}: ${report.answer.headline}`)}**`,
    report.answer.reasons.map((reason) => `- ${markdownText(reason)}`).join('\n'),
    ...report.blocks.map(block),
    '---',
    `_${mark}. ${markdownText(`Recorded at ${report.generatedAt}.`)}_`,
  ];
  return parts.filter((part) => part !== '').join('\n\n') + '\n';
}
