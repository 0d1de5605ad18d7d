import { useEffect, useRef } from 'react';
import type { Column, Identified, SortState } from './tableModel';

export interface DataTableProps<R extends Identified> {
  caption: string;
  columns: readonly Column<R>[];
  /** The rows of the page shown. */
  rows: readonly R[];
  sort: SortState;
  onSort(column: Column<R>): void;
  selectedId: string | null;
  onChoose(row: R): void;
  /** The accessible name of a row's "show on the map" button, e.g. "Show E01028001 Mansfield 001A on the map". */
  rowLabel(row: R): string;
}

/**
 * One page of an attribute table: sortable headers (buttons, with aria-sort), one row per item. A row is chosen by a
 * click anywhere on it or by its first cell's button (Tab, then Enter or Space), so every figure is reachable by
 * keyboard and screen reader; the row selected on the map is marked and scrolled into view.
 */
export function DataTable<R extends Identified>(props: DataTableProps<R>) {
  const selectedRef = useRef<HTMLTableRowElement | null>(null);
  useEffect(() => {
    selectedRef.current?.scrollIntoView({ block: 'nearest' });
  }, [props.selectedId, props.rows]);

  return (
    <table className="data-table attr-table__table" data-testid="attr-table-grid">
      <caption className="visually-hidden">{props.caption}</caption>
      <thead>
        <tr>
          {props.columns.map((c) => {
            const sorted = props.sort.key === c.key ? props.sort.direction : null;
            return (
              <th key={c.key} scope="col" className={c.numeric ? 'num' : undefined} aria-sort={sorted ?? 'none'}>
                <button type="button" className="attr-table__sort" onClick={() => props.onSort(c)} data-testid={`sort-${c.key}`}>
                  {c.label}
                  <span aria-hidden="true" className="attr-table__arrow">
                    {sorted === 'ascending' ? ' ▲' : sorted === 'descending' ? ' ▼' : ' ↕'}
                  </span>
                </button>
              </th>
            );
          })}
        </tr>
      </thead>
      <tbody>
        {props.rows.map((row) => {
          const selected = row.id === props.selectedId;
          return (
            <tr
              key={row.id}
              ref={selected ? selectedRef : undefined}
              className={selected ? 'is-selected' : undefined}
              aria-current={selected ? 'true' : undefined}
              data-row-id={row.id}
              onClick={(e) => {
                // The first cell's button handles its own click (and Enter / Space).
                if ((e.target as HTMLElement).closest('button')) return;
                props.onChoose(row);
              }}
            >
              {props.columns.map((c, i) =>
                i === 0 ? (
                  <th key={c.key} scope="row" className={c.numeric ? 'num' : undefined}>
                    <button type="button" className="attr-table__row-button" onClick={() => props.onChoose(row)} aria-label={props.rowLabel(row)}>
                      {c.text(row)}
                    </button>
                  </th>
                ) : (
                  <td key={c.key} className={c.numeric ? 'num' : undefined}>
                    {c.text(row)}
                  </td>
                ),
              )}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
