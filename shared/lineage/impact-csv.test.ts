import { describe, it, expect } from 'vitest';
import { csvCell, impactCsv } from './impact-csv';

describe('impact CSV', () => {
  it('writes a header and one row per affected node, CRLF-terminated', () => {
    const csv = impactCsv({
      root: 'transactions_q1',
      direction: 'downstream',
      affected: [
        { id: 'model_m92', name: 'model m92', kind: 'model', degree: 4, subject: 'model/fraud-m92.onnx', releases: ['fraud-detector@m92', 'fraud-detector@m93'], approvals: 3, deployments: ['production'] },
        { id: 'deploy_production', name: 'production', kind: 'deployment', degree: 5, subject: null, releases: [], approvals: 0, deployments: [] },
      ],
    });
    expect(csv).toBe(
      'id,name,kind,degree,subject,releases,approvals,deployments\r\n' +
        'model_m92,model m92,model,4,model/fraud-m92.onnx,fraud-detector@m92; fraud-detector@m93,3,production\r\n' +
        'deploy_production,production,deployment,5,,,0,\r\n',
    );
  });

  it('quotes commas and quotes as RFC 4180 says, and shows a line break inside a cell', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('two\\x0alines');
    expect(csvCell('plain')).toBe('plain');
  });

  it('defuses cells a spreadsheet would run as a formula', () => {
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('-2+3')).toBe("'-2+3");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\t=1')).toBe('\\x09=1');
    expect(csvCell('a=b')).toBe('a=b');
  });

  it('shows terminal escapes and bidi overrides from the bundle, so every row stays one line', () => {
    const csv = impactCsv({
      root: 'x',
      direction: 'downstream',
      affected: [
        { id: 'evil\u001b[2J', name: 'invoice\u202efdp.exe\r\nmodel_fake,1', kind: 'model', degree: 1, subject: '\u009b31m', releases: ['r\u2066@1'], approvals: 0, deployments: ['prod\u0007'] },
      ],
    });
    expect(csv).not.toMatch(/[\u0000-\u0009\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    expect(csv.split('\r\n')).toEqual([
      'id,name,kind,degree,subject,releases,approvals,deployments',
      'evil\\x1b[2J,"invoice<U+202E>fdp.exe\\x0d\\x0amodel_fake,1",model,1,\\u009b31m,r<U+2066>@1,0,prod\\x07',
      '',
    ]);
  });
});
