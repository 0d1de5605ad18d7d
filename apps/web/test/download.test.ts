import { describe, expect, it } from 'vitest';
import { areaExportFileName, fileNameFromDisposition, fileStem, strategicExportFileName } from '../src/shared/download';

describe('download naming', () => {
  it('names area exports the way the server does', () => {
    expect(areaExportFileName('Market Place, Northvale', 'csv')).toBe('market-place-northvale-statistics.csv');
    expect(areaExportFileName('Market Place, Northvale', 'geojson')).toBe('market-place-northvale.geojson');
    expect(areaExportFileName('=HYPERLINK("http://x","y")', 'csv')).toBe('hyperlink-http-x-y-statistics.csv');
    expect(areaExportFileName('!!!', 'geojson')).toBe('area.geojson');
    expect(fileStem('x'.repeat(80))).toHaveLength(60);
  });

  it('names the strategic assessment CSV by scope and last month', () => {
    expect(strategicExportFileName('csp', '2024-12')).toBe('strategic-assessment-csp-2024-12.csv');
    expect(strategicExportFileName('district', null)).toBe('strategic-assessment-district.csv');
    expect(strategicExportFileName('district', '2024-12', 'Bassetlaw, Newark and Sherwood CSP')).toBe('strategic-assessment-bassetlaw-newark-and-sherwood-csp-by-district-2024-12.csv');
  });

  it('takes the name from Content-Disposition, preferring filename*, never a path', () => {
    expect(fileNameFromDisposition('attachment; filename="west-square-statistics.csv"', 'x.csv')).toBe('west-square-statistics.csv');
    expect(fileNameFromDisposition('attachment; filename=plain.csv', 'x.csv')).toBe('plain.csv');
    expect(fileNameFromDisposition(`attachment; filename="a.csv"; filename*=UTF-8''caf%C3%A9.csv`, 'x.csv')).toBe('café.csv');
    expect(fileNameFromDisposition('attachment; filename="../../etc/passwd"', 'x.csv')).toBe('passwd');
    expect(fileNameFromDisposition('attachment; filename="say \\"hi\\".csv"', 'x.csv')).toBe('say "hi".csv');
  });

  it('falls back when there is no usable name', () => {
    expect(fileNameFromDisposition(null, 'fallback.csv')).toBe('fallback.csv');
    expect(fileNameFromDisposition('attachment', 'fallback.csv')).toBe('fallback.csv');
    expect(fileNameFromDisposition('attachment; filename=".."', 'fallback.csv')).toBe('fallback.csv');
    expect(fileNameFromDisposition(`attachment; filename*=UTF-8''%E0%A4%A`, 'fallback.csv')).toBe('fallback.csv');
  });
});
