import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { parse as parseLine } from 'csv-parse/sync';
import type { ColumnSpec } from './file-kinds';

export interface CsvRow {
  /** 1-based line number in the file, for reports. */
  line: number;
  values: string[];
  /** Set when the line could not be parsed at all (e.g. a quote that is never closed); values is then empty. */
  error?: string;
}

/**
 * Streams a CSV file row by row without holding it in memory. None of the files this importer reads (police.uk, ONS,
 * MHCLG) has a record spanning lines, so each line is parsed on its own: a broken line (an unclosed quote) is reported
 * and skipped instead of swallowing the rest of the file. Lines with quotes go through csv-parse; plain lines are
 * split on commas, which is all a quote-free CSV line is.
 */
export async function* readCsvRows(path: string): AsyncGenerator<CsvRow> {
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  let line = 0;
  for await (const raw of lines) {
    line++;
    const text = line === 1 && raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
    if (text.trim() === '') continue;
    if (!text.includes('"')) {
      yield { line, values: text.split(',') };
      continue;
    }
    try {
      const [values] = parseLine(text, { relax_column_count: true, relax_quotes: true }) as string[][];
      yield { line, values: values ?? [] };
    } catch (e) {
      yield { line, values: [], error: `the line is not valid CSV (${(e as Error).message.split(':')[0]})` };
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
