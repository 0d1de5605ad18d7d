import { describe, expect, it } from 'vitest';
import { MAX_EXPORT_ROWS, ValidationError, toCsv } from '../src/index';

describe('CSV exports', () => {
  it('escape cells a spreadsheet would run, quote separators, and keep numbers as numbers', () => {
    expect(toCsv([['=HYPERLINK("http://x","y")', '+1', '-cmd', '@SUM(A1)', '\tx', 'plain'], [-3, 1.5, null, Number.NaN]])).toBe(
      `"'=HYPERLINK(""http://x"",""y"")",'+1,'-cmd,'@SUM(A1),'\tx,plain\r\n-3,1.5,,\r\n`,
    );
    expect(toCsv([['On or near Parking Area, Market Street', 'line\nbreak']])).toBe('"On or near Parking Area, Market Street","line\nbreak"\r\n');
  });
  it('refuse an export over the row limit, naming it', () => {
    const rows = Array.from({ length: MAX_EXPORT_ROWS + 1 }, () => ['x']);
    expect(() => toCsv(rows)).toThrow(ValidationError);
    expect(() => toCsv(rows)).toThrow(/the limit is 100,000/);
    expect(toCsv(rows.slice(1)).length).toBeGreaterThan(0);
  });
});
