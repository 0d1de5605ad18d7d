/*
 * The attribute table's rules, whatever its rows are (LSOAs, hot spot cells, top spots): columns, sorting, the text
 * filter, paging and the CSV of the rows shown. Pure: tested as data.
 */

/** A cell's sortable value: numbers sort as numbers, text as text; null (unknown) always sorts last. */
export type CellValue = number | string | null;

export interface Column<R> {
  key: string;
  /** The header, with its unit where it has one ("Rate per 1,000 residents"). */
  label: string;
  numeric: boolean;
  /** What the column sorts by and the CSV holds. */
  value(row: R): CellValue;
  /** What the cell shows (formatted, with units where a bare number would be ambiguous). */
  text(row: R): string;
  /** Whether the text filter looks in this column (names and places, not figures). */
  searchable?: boolean;
}

export type SortDirection = 'ascending' | 'descending';
export interface SortState {
  key: string;
  direction: SortDirection;
}

/** Every row has an id: the LSOA code, the cell number, the spot key. */
export interface Identified {
  id: string;
}

/** A header button press: the same column flips its direction; another starts with its natural order. */
export function nextSort<R>(current: SortState | null, column: Column<R>): SortState {
  if (current?.key === column.key) return { key: column.key, direction: current.direction === 'ascending' ? 'descending' : 'ascending' };
  // Figures start with the largest (the busiest LSOA first); text from A.
  return { key: column.key, direction: column.numeric ? 'descending' : 'ascending' };
}

const collator = new Intl.Collator('en-GB', { numeric: true, sensitivity: 'base' });

function compareValues(a: CellValue, b: CellValue): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return collator.compare(String(a), String(b));
}

/**
 * The rows in the order of the sort (a new array; the input is left as it is). Unknown values go last in either
 * direction; ties keep the rows' id order so the order never depends on the previous sort.
 */
export function sortRows<R extends Identified>(rows: readonly R[], columns: readonly Column<R>[], sort: SortState | null): R[] {
  const column = sort ? columns.find((c) => c.key === sort.key) : undefined;
  const byId = (a: R, b: R) => collator.compare(a.id, b.id);
  if (!column || !sort) return [...rows];
  const sign = sort.direction === 'ascending' ? 1 : -1;
  return [...rows].sort((a, b) => {
    const va = column.value(a);
    const vb = column.value(b);
    const na = va === null || (typeof va === 'number' && !Number.isFinite(va));
    const nb = vb === null || (typeof vb === 'number' && !Number.isFinite(vb));
    if (na || nb) return na && nb ? byId(a, b) : na ? 1 : -1;
    return sign * compareValues(va, vb) || byId(a, b);
  });
}

/** Lower case without accents, so "hucknall" finds "Hucknall" and "ecole" finds "École". */
export function foldText(s: string): string {
  return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
}

/**
 * The rows whose searchable columns hold every word of the filter (in any column, any order): "bulwell 003" finds
 * "Nottingham 003B" in Bulwell ward. An empty filter keeps every row.
 */
export function filterRows<R>(rows: readonly R[], columns: readonly Column<R>[], filter: string): R[] {
  const words = foldText(filter).split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...rows];
  const searchable = columns.filter((c) => c.searchable);
  return rows.filter((row) => {
    const hay = foldText(searchable.map((c) => c.text(row)).join(' '));
    return words.every((w) => hay.includes(w));
  });
}

/** Rows per page: a national scope has thousands of LSOAs and the page never draws more than this at once. */
export const PAGE_SIZE = 100;

export interface Page<R> {
  rows: R[];
  /** 0-based page index, clamped to the pages there are. */
  index: number;
  pages: number;
  /** 1-based numbers of the first and last row shown (0, 0 when there are none). */
  first: number;
  last: number;
}

export function pageOf<R>(rows: readonly R[], index: number, size = PAGE_SIZE): Page<R> {
  const pages = Math.max(1, Math.ceil(rows.length / size));
  const i = Math.min(Math.max(0, Math.floor(index)), pages - 1);
  const slice = rows.slice(i * size, (i + 1) * size);
  return { rows: slice, index: i, pages, first: slice.length ? i * size + 1 : 0, last: i * size + slice.length };
}

/** The page a row is on, or null when the row is not among them (filtered out, or not in the table). */
export function pageOfId<R extends Identified>(rows: readonly R[], id: string, size = PAGE_SIZE): number | null {
  const at = rows.findIndex((r) => r.id === id);
  return at < 0 ? null : Math.floor(at / size);
}

/**
 * One CSV field: quoted when it holds a comma, quote or line break; a text that a spreadsheet would run as a formula
 * (starting with = + - @ or a tab) gets a leading apostrophe. Numbers are written as they are (a z-score may be −2.1).
 */
export function csvField(v: CellValue | undefined): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * The CSV of a table: the lines that say what it is (dataset, place, period, measure), a blank line, the header row
 * with units, then one line per row in the order shown. CRLF line ends, as spreadsheets expect.
 */
export function tableCsv<R>(about: readonly string[], columns: readonly Column<R>[], rows: readonly R[]): string {
  const lines = [...about.map((a) => csvField(a)), '', columns.map((c) => csvField(c.label)).join(',')];
  for (const row of rows) lines.push(columns.map((c) => csvField(c.value(row))).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/** "lsoas-mansfield-burglary-2024-01-to-2024-12.csv": lower case, hyphens, no path characters. */
export function tableFileName(parts: readonly (string | null | undefined)[]): string {
  const stem = parts
    .filter((p): p is string => !!p)
    .join('-')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 90);
  return `${stem || 'table'}.csv`;
}
