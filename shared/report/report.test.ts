import { describe, expect, it } from 'vitest';
import { boardAnswerOf } from './board-answer';
import { edgeEnds, lineageFigureOf } from './lineage-figure';
import { buildReleaseReport } from './build-report';
import { textWidth } from './pdf/font-metrics';
import { wrapBytes } from './pdf/page-canvas';
import { renderPdf } from './pdf/render-pdf';
import { toWinAnsi } from './pdf/win-ansi';
import { REPORT_CONTENT_SECURITY_POLICY, renderHtml } from './render-html';
import { renderMarkdown } from './render-markdown';
import { approvalStatus, decision, DIGEST, HOSTILE, sources, subject, verification } from './test-report-sources';

/** The content streams of a PDF made by renderPdf, page by page. */
function pageStreams(pdf: Uint8Array): string[] {
  const text = new TextDecoder('latin1').decode(pdf);
  return [...text.matchAll(/stream\n([\s\S]*?)\nendstream/g)].map((match) => match[1]!);
}

/** A content stream read as the viewer reads it: its operators, and the text its strings show. */
function parseContent(content: string): { operators: string[]; strings: string[] } {
  const operators: string[] = [];
  const strings: string[] = [];
  let index = 0;
  while (index < content.length) {
    const character = content[index]!;
    if (/\s/.test(character)) {
      index++;
    } else if (character === '(') {
      const bytes: number[] = [];
      let depth = 1;
      index++;
      while (depth > 0) {
        const next = content[index++]!;
        if (next === '\\') {
          const escaped = content[index]!;
          if (/[0-7]/.test(escaped)) {
            const octal = /^[0-7]{1,3}/.exec(content.slice(index, index + 3))![0];
            bytes.push(parseInt(octal, 8));
            index += octal.length;
          } else {
            bytes.push(escaped.charCodeAt(0));
            index++;
          }
        } else if (next === '(') {
          depth++;
          bytes.push(next.charCodeAt(0));
        } else if (next === ')') {
          depth--;
          if (depth > 0) bytes.push(next.charCodeAt(0));
        } else {
          bytes.push(next.charCodeAt(0));
        }
      }
      strings.push(new TextDecoder('windows-1252').decode(Uint8Array.from(bytes)));
    } else if (character === '/') {
      index = skipWord(content, index + 1);
    } else if (/[-\d.]/.test(character)) {
      index = skipWord(content, index);
    } else {
      const end = skipWord(content, index);
      operators.push(content.slice(index, end));
      index = end;
    }
  }
  return { operators, strings };
}

const ascii = (text: string) => [...text].map((character) => character.charCodeAt(0));

function skipWord(content: string, index: number): number {
  let end = index;
  while (end < content.length && !/[\s()/]/.test(content[end]!)) end++;
  return end;
}

const PDF_OPERATORS = new Set(['BT', 'ET', 'Tf', 'Td', 'Tj', 'rg', 'RG', 're', 'S', 'f', 'B', 'q', 'Q', 'w', 'm', 'l']);

describe('the board answer', () => {
  it('puts integrity first: a tampered release cannot be approved whatever its approvals say', () => {
    const answer = boardAnswerOf(verification({ verdict: 'tampered' }), { available: true, status: approvalStatus({ approved: true }) }, null);
    expect(answer.state).toBe('cannot-approve');
    expect(answer.headline).toBe('Cannot be approved: tampered');
    expect(answer.reasons[0]).toMatch(/^Integrity: tampered\. Signed by/);
  });

  it('names the seats still empty', () => {
    const answer = boardAnswerOf(verification(), { available: true, status: approvalStatus() }, null);
    expect(answer).toMatchObject({ state: 'needs-more', headline: 'Needs 1 more: privacy seat' });
  });

  it("names who blocks it by a rejection", () => {
    const status = approvalStatus({
      rules: [{ id: 'no-blocking-rejection', met: false, summary: 'Grace Hopper rejects this release.', details: [] }],
      approvals: [decision('Grace Hopper', 'reject', 'risk', 'rejection')],
    });
    expect(boardAnswerOf(verification(), { available: true, status }, null)).toMatchObject({ state: 'blocked', headline: "Blocked by Grace Hopper's rejection" });
  });

  it('counts a quorum short of approvals when every seat is filled', () => {
    const status = approvalStatus({ seats: [{ role: 'risk', seat: 1, filledBy: 'Ada Byron', keyId: null }] });
    expect(boardAnswerOf(verification(), { available: true, status }, null).headline).toBe('Needs 1 more approval');
  });

  it('says there is no board answer, and why, without a board policy', () => {
    const answer = boardAnswerOf(verification(), { available: false, reason: 'No board policy is imported here.' }, null);
    expect(answer).toMatchObject({ state: 'no-board', word: 'UNKNOWN', headline: 'Not judged: no board policy imported' });
    expect(answer.reasons).toEqual(['Integrity: verified. ' + verification().reasons[0], 'No board policy is imported here.']);
  });

  it('says approved, and whether the known deployment is deployable', () => {
    const status = approvalStatus({ approved: true, rules: [] });
    const built = sources();
    const diff = built.deployment.available ? built.deployment.diff : null;
    expect(boardAnswerOf(verification(), { available: true, status }, null).headline).toBe('Approved');
    expect(boardAnswerOf(verification(), { available: true, status }, diff).headline).toBe('Approved, but the deployment is blocked');
  });
});

describe('the Markdown record', () => {
  const markdown = renderMarkdown(buildReleaseReport(sources()));

  it('keeps every hostile string inert: no markup, no code span, no line of its own, no control', () => {
    expect(markdown).not.toMatch(/<script|<img/i);
    expect(markdown).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u202e]/);
    expect(markdown).not.toMatch(/^FAKE LINE/m);
    expect(markdown).not.toMatch(/(?<!\\)`code(?<!\\)`/);
    expect(markdown).not.toContain('](https://evil');
    expect(markdown).toContain('&lt;U+202E&gt;');
  });

  it('keeps each table row to its columns: a pipe in a cell is escaped', () => {
    const rows = markdown.split('\n').filter((line) => line.startsWith('| ') && line.includes('PWNED'));
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row.match(/(?<!\\)\|/g)!.length).toBeLessThanOrEqual(8);
    const signatureRow = markdown.split('\n').find((line) => line.startsWith('| Eve'))!;
    expect(signatureRow.match(/(?<!\\)\|/g)).toHaveLength(6);
  });

  it('carries the release and the manifest digest at the top and the end', () => {
    const lines = markdown.trim().split('\n');
    expect(lines.slice(0, 3).join('\n')).toContain(DIGEST);
    expect(lines[lines.length - 1]).toContain(DIGEST);
  });
});

describe('the HTML record', () => {
  const html = renderHtml(buildReleaseReport(sources()));

  it('forbids every request and escapes every outside string', () => {
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="${REPORT_CONTENT_SECURITY_POLICY}">`);
    expect(REPORT_CONTENT_SECURITY_POLICY).toBe("default-src 'none'; style-src 'unsafe-inline'; img-src data:");
    expect(html).not.toMatch(/<script|<img|<link|<iframe/i);
    const tags = html.match(/<[a-z][^>]*>/gi)!;
    expect(tags.length).toBeGreaterThan(50);
    for (const tag of tags) expect(tag).not.toMatch(/\s(src|href|action|srcset|xlink:href|background)\s*=/i);
    expect(html.match(/url\(([^)]*)\)/g)?.every((reference) => reference.startsWith('url(#'))).toBe(true);
    expect(html).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u202e]/);
    expect(html).toContain('&#60;script&#62;');
  });

  it('draws the lineage as inline SVG with its labels escaped', () => {
    const svg = /<svg[\s\S]*<\/svg>/.exec(html)![0];
    expect(svg.match(/<rect [^>]*rx=/g)).toHaveLength(2);
    expect(svg.match(/<line /g)).toHaveLength(1);
    expect(svg).toContain('&#60;img src=&#34;https://evil.example/x.png&#34;&#62;');
  });
});

describe('the PDF record', () => {
  it('writes outside strings as text only: escaped, controls and non-WinAnsi characters shown as markers', () => {
    const pdf = renderPdf(buildReleaseReport(sources()));
    const pages = pageStreams(pdf).map(parseContent);
    for (const page of pages) for (const operator of page.operators) expect(PDF_OPERATORS).toContain(operator);
    const text = pages.flatMap((page) => page.strings).join('');
    expect(text).toContain('Eve) Tj ET BT /F1 40 Tf (PWNED\\');
    expect(text).toContain('<U+202E>gnp.exe \\x1b[2J\\x0d\\x0aFAKE LINE <U+4E2D><U+6587>');
  });

  it('replaces a character WinAnsi cannot show with a visible marker, never dropping it', () => {
    expect([...toWinAnsi('a\u4e2d\u20acb\u0007')]).toEqual([...ascii('a<U+4E2D>'), 0x80, ...ascii('b\\x07')]);
  });

  it('paginates a long appendix with the header repeated and the release, digest and "page n of m" on every page', () => {
    const many = Array.from({ length: 400 }, (_, index) => subject(`data/shard-${String(index).padStart(4, '0')}.parquet`));
    const report = buildReleaseReport(sources({ verification: verification({ subjects: many, release: 'fraud' }) }));
    const pages = pageStreams(renderPdf(report)).map(parseContent);
    expect(pages.length).toBeGreaterThan(5);
    pages.forEach((page, index) => {
      const text = page.strings.join('\n');
      expect(text).toContain(`manifest sha256:${DIGEST}`);
      expect(text).toContain('fraud m92');
      expect(text).toContain(`page ${index + 1} of ${pages.length}`);
    });
    const appendixPages = pages.filter((page) => page.strings.some((text) => text.startsWith('data/shard-0')));
    expect(appendixPages.length).toBeGreaterThan(3);
    for (const page of appendixPages) expect(page.strings).toContain('Subject');
    const shards = pages.flatMap((page) => page.strings.filter((text) => /^data\/shard-\d{4}/.test(text)));
    expect(new Set(shards).size).toBe(400);
  });

  it('takes Letter paper', () => {
    const pdf = new TextDecoder('latin1').decode(renderPdf(buildReleaseReport(sources()), 'letter'));
    expect(pdf).toContain('/MediaBox [0 0 612 792]');
  });
});

describe('wrapping by the font metrics', () => {
  it('never makes a line wider than asked, and drops nothing but the spaces it breaks at', () => {
    const text = `${HOSTILE} ${'f'.repeat(300)} ${DIGEST} a b c`;
    const bytes = toWinAnsi(text);
    const lines = wrapBytes(bytes, 'Helvetica', 9, 120);
    for (const line of lines) expect(textWidth('Helvetica', line, 9)).toBeLessThanOrEqual(120);
    const joined = lines.map((line) => new TextDecoder('windows-1252').decode(line)).join('');
    expect(joined.replace(/ /g, '')).toBe(new TextDecoder('windows-1252').decode(bytes).replace(/ /g, ''));
  });
});

describe('the lineage picture', () => {
  it('stacks a chain top to bottom, and keeps a graph wide in a layer left to right', () => {
    const chain = Array.from({ length: 6 }, (_, index) => ({ id: `n${index}`, kind: 'dataset' as const, name: `step ${index}`, version: null, subject: null }));
    const chainFigure = lineageFigureOf({ nodes: chain, edges: chain.slice(1).map((node, index) => ({ from: `n${index}`, to: node.id })), sourceFiles: [], findings: [] })!;
    expect(chainFigure.direction).toBe('down');
    expect(new Set(chainFigure.nodes.map((node) => node.x)).size).toBe(1);
    const [x1, y1, x2, y2] = edgeEnds(chainFigure, chainFigure.nodes[0]!, chainFigure.nodes[1]!);
    expect(x1).toBe(x2);
    expect(y2).toBeGreaterThan(y1);

    const fan = Array.from({ length: 12 }, (_, index) => ({ id: `f${index}`, kind: 'dataset' as const, name: `input ${index}`, version: null, subject: null }));
    const fanFigure = lineageFigureOf({ nodes: [...fan, { id: 'm', kind: 'model', name: 'model', version: null, subject: null }], edges: fan.map((node) => ({ from: node.id, to: 'm' })), sourceFiles: [], findings: [] })!;
    expect(fanFigure.direction).toBe('right');
  });

  it('draws no picture of a graph with a cycle', () => {
    const nodes = ['a', 'b'].map((id) => ({ id, kind: 'dataset' as const, name: id, version: null, subject: null }));
    expect(lineageFigureOf({ nodes, edges: [{ from: 'a', to: 'b' }, { from: 'b', to: 'a' }], sourceFiles: [], findings: [] })).toBeNull();
  });
});
