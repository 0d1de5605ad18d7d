import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeWindows1252, readCsvRows, type CsvRow } from '../src/csv';
import { tempDir } from './fixtures';

const rowsOf = async (content: string | Buffer) => {
  const path = join(tempDir(), 'f.csv');
  writeFileSync(path, content);
  const out: CsvRow[] = [];
  for await (const r of readCsvRows(path)) out.push(r);
  return out;
};

describe('decodeWindows1252', () => {
  it('maps 0x80–0x9F as Windows-1252 does (not as Latin-1 C1 controls) and the rest as Latin-1', () => {
    expect(decodeWindows1252(Buffer.from([0x80, 0x85, 0x91, 0x92, 0x93, 0x94, 0x96, 0x97, 0x99, 0x9f]))).toBe('€…‘’“”–—™Ÿ');
    // The five bytes Windows-1252 leaves undefined stay the C1 code point of the same number, as the WHATWG index has.
    expect(decodeWindows1252(Buffer.from([0x81, 0x8d, 0x8f, 0x90, 0x9d]))).toBe('\u0081\u008d\u008f\u0090\u009d');
    expect(decodeWindows1252(Buffer.from('Caf\xe9 \xa3 \xff', 'latin1'))).toBe('Café £ ÿ');
    expect(decodeWindows1252(Buffer.from('plain ASCII'))).toBe('plain ASCII');
  });
});

describe('readCsvRows', () => {
  it('reads UTF-8, drops a byte-order mark, and splits on LF and CRLF with line numbers that count blank lines', async () => {
    const rows = await rowsOf('\uFEFFa,b\r\nCafé,"x, y"\n\n"z",w');
    expect(rows).toEqual([
      { line: 1, values: ['a', 'b'] },
      { line: 2, values: ['Café', 'x, y'] },
      { line: 4, values: ['z', 'w'] },
    ]);
  });

  it('reads a line that is not valid UTF-8 as Windows-1252 and flags it; valid UTF-8 lines around it stay UTF-8', async () => {
    const rows = await rowsOf(Buffer.concat([Buffer.from('Café,1\n'), Buffer.from('Caf\xe9 \x96 Bar,2\r\n', 'latin1'), Buffer.from('"Crème, brûlée",3\n')]));
    expect(rows).toEqual([
      { line: 1, values: ['Café', '1'] },
      { line: 2, values: ['Caf\u00e9 \u2013 Bar', '2'], windows1252: true },
      { line: 3, values: ['Crème, brûlée', '3'] },
    ]);
  });

  it('keeps multi-byte characters and line numbers right across read chunks, and reads a last line with no line feed', async () => {
    // Far more than one 64 KiB chunk, with a 2-byte character on every line so some straddle a chunk boundary.
    const lines = Array.from({ length: 20_000 }, (_, i) => `${i},Café ${i}`);
    const rows = await rowsOf(lines.join('\n'));
    expect(rows).toHaveLength(20_000);
    expect(rows.every((r, i) => r.line === i + 1 && r.values[1] === `Café ${i}` && !r.windows1252)).toBe(true);
  });

  it('finds a Windows-1252 line deep in a large file without reading the file whole', async () => {
    const before = Array.from({ length: 10_000 }, (_, i) => `${i},On or near Market Street`).join('\n');
    const rows = await rowsOf(Buffer.concat([Buffer.from(`${before}\n`), Buffer.from('10000,Caf\xe9\n', 'latin1'), Buffer.from('10001,Café\n')]));
    expect(rows.filter((r) => r.windows1252)).toEqual([{ line: 10_001, values: ['10000', 'Café'], windows1252: true }]);
    expect(rows.at(-1)).toEqual({ line: 10_002, values: ['10001', 'Café'] });
  });

  it('reports a line with an unclosed quote and carries on with the next', async () => {
    const rows = await rowsOf('a,b\n"open,c\nd,e\n');
    expect(rows).toEqual([
      { line: 1, values: ['a', 'b'] },
      { line: 2, values: [], error: 'the line is not valid CSV (Quote Not Closed)' },
      { line: 3, values: ['d', 'e'] },
    ]);
  });
});
