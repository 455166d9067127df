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

  it('quotes commas, quotes and line breaks as RFC 4180 says', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('plain')).toBe('plain');
  });

  it('defuses cells a spreadsheet would run as a formula', () => {
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('-2+3')).toBe("'-2+3");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\t=1')).toBe("'\t=1");
    expect(csvCell('a=b')).toBe('a=b');
  });
});
