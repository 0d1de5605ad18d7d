import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
import type { ColumnSpec } from './file-kinds';

export interface CsvRow {
  /** 1-based line number in the file, for reports. */
  line: number;
  values: string[];
}

/** Streams a CSV file as rows of strings: never holds the file in memory. Strips a UTF-8 BOM; tolerates ragged rows. */
export async function* readCsvRows(path: string): AsyncGenerator<CsvRow> {
  const parser = createReadStream(path).pipe(
    parse({ bom: true, relax_column_count: true, skip_empty_lines: true, info: true, trim: false }),
  );
  for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
    yield { line: info.lines, values: record };
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
