import { isUtf8 } from 'node:buffer';
import { createReadStream } from 'node:fs';
import { parse as parseLine } from 'csv-parse/sync';
import type { ColumnSpec } from './file-kinds';

export interface CsvRow {
  /** 1-based line number in the file, for reports. */
  line: number;
  values: string[];
  /** Set when the line could not be parsed at all (e.g. a quote that is never closed); values is then empty. */
  error?: string;
  /** Set when the line was not valid UTF-8 and was read as Windows-1252 (Excel's "CSV" on a UK Windows PC). */
  windows1252?: true;
}

const LF = 0x0a;
const UTF8_BOM = [0xef, 0xbb, 0xbf];

/**
 * Windows-1252 for bytes 0x80–0x9F (the WHATWG index); every other byte is the Latin-1 character of the same number.
 * Written out because Node's TextDecoder('windows-1252') decodes this range as Latin-1 C1 controls in some releases
 * (20.18.3 onwards, nodejs/node#60888), which would store "Caf\u0096" instead of "Caf–".
 */
const WINDOWS_1252_HIGH =
  '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
  '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

export function decodeWindows1252(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    .toString('latin1')
    .replace(/[\u0080-\u009f]/g, (c) => WINDOWS_1252_HIGH[c.charCodeAt(0) - 0x80]!);
}

interface TextLine {
  text: string;
  windows1252: boolean;
}

const withoutCr = (s: string) => (s.charCodeAt(s.length - 1) === 0x0d ? s.slice(0, -1) : s);

/**
 * The lines of a block of bytes that holds whole lines only (no final line feed). A block that is valid UTF-8, as
 * nearly every block is, is decoded in one go; otherwise each line is decoded on its own and one that is not valid
 * UTF-8 is read as Windows-1252 (a line feed is never part of a UTF-8 sequence, so splitting on it is always safe).
 */
function linesOf(block: Buffer, out: TextLine[]): void {
  if (isUtf8(block)) {
    for (const s of block.toString('utf8').split('\n')) out.push({ text: withoutCr(s), windows1252: false });
    return;
  }
  let start = 0;
  for (;;) {
    const end = block.indexOf(LF, start);
    const bytes = block.subarray(start, end < 0 ? block.length : end);
    const utf8 = isUtf8(bytes);
    out.push({ text: withoutCr(utf8 ? bytes.toString('utf8') : decodeWindows1252(bytes)), windows1252: !utf8 });
    if (end < 0) return;
    start = end + 1;
  }
}

/** Streams a file's lines (split on LF or CRLF), a chunk's worth at a time, without holding the file in memory. */
async function* readLines(path: string): AsyncGenerator<TextLine[]> {
  let rest: Buffer | null = null;
  let first = true;
  const take = (block: Buffer) => {
    if (first) {
      first = false;
      if (UTF8_BOM.every((b, i) => block[i] === b)) block = block.subarray(UTF8_BOM.length);
    }
    const lines: TextLine[] = [];
    linesOf(block, lines);
    return lines;
  };
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    const buf: Buffer = rest ? Buffer.concat([rest, chunk]) : chunk;
    const end = buf.lastIndexOf(LF);
    if (end < 0) {
      rest = buf;
      continue;
    }
    rest = end + 1 < buf.length ? buf.subarray(end + 1) : null;
    yield take(buf.subarray(0, end));
  }
  if (rest) yield take(rest);
}

/**
 * Streams a CSV file row by row without holding it in memory. None of the files this importer reads (police.uk, ONS,
 * MHCLG) has a record spanning lines, so each line is parsed on its own: a broken line (an unclosed quote) is reported
 * and skipped instead of swallowing the rest of the file. Lines with quotes go through csv-parse; plain lines are
 * split on commas, which is all a quote-free CSV line is. Text is UTF-8 (a byte-order mark is dropped); a line that is
 * not valid UTF-8 is read as Windows-1252 and flagged, so the caller can say so.
 */
export async function* readCsvRows(path: string): AsyncGenerator<CsvRow> {
  let line = 0;
  for await (const batch of readLines(path)) {
    for (const { text, windows1252 } of batch) {
      line++;
      if (text.trim() === '') continue;
      const flag = windows1252 ? ({ windows1252: true } as const) : {};
      if (!text.includes('"')) {
        yield { line, values: text.split(','), ...flag };
        continue;
      }
      try {
        const [values] = parseLine(text, { relax_column_count: true, relax_quotes: true }) as string[][];
        yield { line, values: values ?? [], ...flag };
      } catch (e) {
        yield { line, values: [], error: `the line is not valid CSV (${(e as Error).message.split(':')[0]})`, ...flag };
      }
    }
  }
}

export async function readHeader(path: string): Promise<string[] | null> {
  for await (const row of readCsvRows(path)) return row.values.map((v) => v.trim());
  return null;
}

/** Index of each wanted field in the header, or the names of the fields it lacks. */
export function mapColumns(header: string[], columns: ColumnSpec[]): { index: Record<string, number>; missing: string[] } {
  const index: Record<string, number> = {};
  const missing: string[] = [];
  for (const c of columns) {
    const i = header.findIndex((h) => c.names.test(h.trim()));
    if (i < 0) missing.push(c.field);
    else index[c.field] = i;
  }
  return { index, missing };
}
