import { describe, expect, it } from 'vitest';
import { layoutLayered } from '../../../shared/lineage/layout/layered-layout';
import { edgePath, exportSize, lineageSvg, xmlText } from './export-svg';
import type { ExportNode } from './export-svg';

const edges = { edgeSources: Int32Array.from([0]), edgeTargets: Int32Array.from([1]) };
const layout = layoutLayered({ nodeCount: 2, ...edges }, { nodeWidth: 200, nodeHeight: 50, layerGap: 100 });
const nodes: ExportNode[] = [
  { name: 'raw <transactions> & "Q1"', kind: 'source', detail: 'source · subject verified', emphasis: 'selected', failed: false },
  { name: 'model m92', kind: 'model', detail: 'model · subject failed verification', emphasis: 'highlighted', failed: true },
];

describe('lineageSvg', () => {
  const svg = lineageSvg(layout, nodes, edges, 'Lineage: lineage.json');

  it('is a standalone SVG document the size of the drawing plus its margin', () => {
    const { width, height } = exportSize(layout);
    expect([width, height]).toEqual([548, 98]);
    expect(svg.startsWith(`<svg xmlns="http://www.w3.org/2000/svg" width="548" height="98" viewBox="0 0 548 98"`)).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(svg).toContain('<title>Lineage: lineage.json</title>');
  });

  it('draws each node at its layout position with its name and details, escaped', () => {
    expect(svg).toContain('<g transform="translate(0 0)">');
    expect(svg).toContain('<g transform="translate(300 0)">');
    expect(svg).toContain('>raw &lt;transactions&gt; &amp; &quot;Q1&quot;</text>');
    expect(svg).toContain('>model · subject failed verification</text>');
    expect(svg).not.toContain('<transactions>');
  });

  it('marks a failed subject with a dashed red border, and draws the edge as the view does', () => {
    expect(svg).toMatch(/stroke="#b02a00" stroke-width="3" stroke-dasharray="6 3"/);
    expect(svg).toContain(`<path d="${edgePath(layout, 0, 1)}" stroke="#1b1f24"/>`);
    expect(edgePath(layout, 0, 1)).toBe('M200 25C250 25 250 25 300 25');
  });

  it('shortens long names with an ellipsis', () => {
    const long = lineageSvg(layout, [{ ...nodes[0]!, name: 'x'.repeat(40) }, nodes[1]!], edges, 't');
    expect(long).toContain(`>${'x'.repeat(27)}…</text>`);
  });
});

describe('xmlText', () => {
  it('shows control characters and replaces what else XML cannot carry, including lone surrogates', () => {
    expect(xmlText('a\u0000b\u001fc\ud800d\udc00e\uffff')).toBe('a\\x00b\\x1fc\ufffdd\ufffde\ufffd');
    expect(xmlText('emoji 😀 stays')).toBe('emoji 😀 stays');
    expect(xmlText("it's")).toBe('it&apos;s');
  });

  it('shows bidi overrides and C1 controls instead of letting a viewer obey them', () => {
    expect(xmlText('invoice\u202efdp.exe \u2066x\u2069 \u009b31m <b>')).toBe('invoice&lt;U+202E&gt;fdp.exe &lt;U+2066&gt;x&lt;U+2069&gt; \\u009b31m &lt;b&gt;');
  });
});

describe('lineageSvg with hostile names', () => {
  it('carries no control or bidi character, and the marks count towards the shortened length', () => {
    const hostile: ExportNode[] = [
      { ...nodes[0]!, name: `model\u202e${'\u001b'.repeat(30)}`, detail: 'a\tb\r\nc\u200f' },
      { ...nodes[1]!, name: '</text><script>alert(1)</script>' },
    ];
    const svg = lineageSvg(layout, hostile, edges, 'Lineage: \u202egpj.json');
    expect(svg).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/);
    expect(svg).toContain(`>model&lt;U+202E&gt;${'\\x1b'.repeat(3)}\\x…</text>`);
    expect(svg).toContain('>a\\x09b\\x0d\\x0ac&lt;U+200F&gt;</text>');
    expect(svg).toContain('<title>Lineage: &lt;U+202E&gt;gpj.json</title>');
    expect(svg).not.toContain('<script>');
  });
});
