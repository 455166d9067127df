import type { LineageNodeKind } from '../../../shared/lineage/lineage-graph';
import type { LayeredLayout } from '../../../shared/lineage/layout/layered-layout';
import { neutraliseField } from '../../../shared/text/neutralise';
import { KIND_LOOK } from './kind-look';

/** A node as the export draws it, in layout-local order. */
export interface ExportNode {
  name: string;
  kind: LineageNodeKind;
  /** Second line, e.g. "model · v2.3 · subject verified". */
  detail: string;
  emphasis: 'selected' | 'highlighted' | 'normal' | 'dimmed';
  failed: boolean;
}

export interface ExportEdges {
  edgeSources: Int32Array;
  edgeTargets: Int32Array;
}

const MARGIN = 24;
const NAME_CHARACTERS = 28;
const DETAIL_CHARACTERS = 36;

/**
 * The lineage drawing as a standalone SVG document, from the layout's positions: the same
 * boxes, icons and curves as the view, on a light background. Names come from the bundle, so
 * every text has its control and bidi characters shown (before it is shortened, so the marks
 * count towards its length), is escaped, and is stripped of characters XML cannot carry.
 */
export function lineageSvg(layout: LayeredLayout, nodes: readonly ExportNode[], edges: ExportEdges, title: string): string {
  const { width, height } = exportSize(layout);
  const { nodeWidth: w, nodeHeight: h } = layout;
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif">`,
    `<title>${xmlText(title)}</title>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<g transform="translate(${MARGIN} ${MARGIN})">`,
  );

  out.push('<g fill="none" stroke-width="1.5">');
  for (let e = 0; e < edges.edgeSources.length; e++) {
    const from = edges.edgeSources[e]!;
    const to = edges.edgeTargets[e]!;
    const strong = isStrong(nodes[from]) && isStrong(nodes[to]);
    const dimmed = nodes[from]?.emphasis === 'dimmed' || nodes[to]?.emphasis === 'dimmed';
    out.push(`<path d="${edgePath(layout, from, to)}" stroke="${strong ? '#1b1f24' : '#8c959f'}"${dimmed ? ' opacity="0.35"' : ''}/>`);
  }
  out.push('</g>');

  nodes.forEach((node, v) => {
    const look = KIND_LOOK[node.kind];
    const x = layout.x[v]!;
    const y = layout.y[v]!;
    const stroke = node.failed ? '#b02a00' : node.emphasis === 'selected' ? '#0b5cad' : look.colour;
    const strokeWidth = node.emphasis === 'selected' || node.failed ? 3 : 1.5;
    out.push(
      `<g transform="translate(${x} ${y})"${node.emphasis === 'dimmed' ? ' opacity="0.35"' : ''}>`,
      `<rect width="${w}" height="${h}" rx="6" fill="#ffffff" stroke="${stroke}" stroke-width="${strokeWidth}"${node.failed ? ' stroke-dasharray="6 3"' : ''}/>`,
      `<rect width="6" height="${h}" rx="3" fill="${look.colour}"/>`,
      `<path transform="translate(14 ${h / 2 - 8})" d="${look.icon}" fill="${look.colour}" fill-rule="evenodd"/>`,
      `<text x="38" y="${h / 2 - 4}" font-size="13" font-weight="600" fill="#1b1f24">${xmlText(truncate(neutraliseField(node.name), NAME_CHARACTERS))}</text>`,
      `<text x="38" y="${h / 2 + 13}" font-size="11" fill="${node.failed ? '#b02a00' : '#57606a'}">${xmlText(truncate(neutraliseField(node.detail), DETAIL_CHARACTERS))}</text>`,
      '</g>',
    );
  });
  out.push('</g>', '</svg>');
  return out.join('\n') + '\n';
}

/** The exported picture's size in pixels: the drawing and a margin round it. */
export function exportSize(layout: LayeredLayout): { width: number; height: number } {
  return { width: Math.ceil(layout.width + 2 * MARGIN), height: Math.ceil(layout.height + 2 * MARGIN) };
}

/** A horizontal S-curve from the right middle of `from` to the left middle of `to`, as the view draws it. */
export function edgePath(layout: LayeredLayout, from: number, to: number): string {
  const x1 = layout.x[from]! + layout.nodeWidth;
  const y1 = layout.y[from]! + layout.nodeHeight / 2;
  const x2 = layout.x[to]!;
  const y2 = layout.y[to]! + layout.nodeHeight / 2;
  const middle = (x1 + x2) / 2;
  return `M${x1} ${y1}C${middle} ${y1} ${middle} ${y2} ${x2} ${y2}`;
}

function isStrong(node: ExportNode | undefined): boolean {
  return node?.emphasis === 'selected' || node?.emphasis === 'highlighted';
}

function truncate(text: string, characters: number): string {
  const codePoints = Array.from(text);
  return codePoints.length <= characters ? text : `${codePoints.slice(0, characters - 1).join('')}…`;
}

/**
 * Text content (or an attribute value) for XML: control and bidi characters shown as
 * `\x1b` or `<U+202E>` (a viewer would otherwise obey a bidi override), markup characters
 * escaped, and what XML 1.0 forbids besides (U+FFFE, U+FFFF, lone surrogates) replaced.
 */
export function xmlText(text: string): string {
  return neutraliseField(text)
    .replace(/[\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}
