import { useEffect, useId, useRef } from 'react';
import type { WorkspaceState } from '../../app/useWorkspace';
import type { Choropleth } from '../map/choropleth';
import { formatInteger } from '../../shared/format';
import { DataTable } from './DataTable';
import type { CellRow, SpotRow } from './hotspotRows';
import type { LsoaRow } from './lsoaRows';
import { useAttributeTable, type AnyRow, type TableSource } from './useAttributeTable';
import './table.css';

const SOURCE_LABELS: Record<TableSource, string> = { lsoas: 'LSOAs', cells: 'Hot spot cells', spots: 'Top hot spots' };

function rowLabel(source: TableSource, row: AnyRow): string {
  if (source === 'lsoas') {
    const r = row as LsoaRow;
    return `Show ${r.code}${r.name ? ` ${r.name}` : ''} on the map`;
  }
  if (source === 'cells') return `Show cell ${(row as CellRow).cell} on the map`;
  const r = row as SpotRow;
  return `Show ${r.crimeType} hot spot ${r.rank}, ${r.location}, on the map`;
}

/**
 * The attribute table: a drawer over the bottom of the map (the map shrinks above it, so what a row shows is never
 * under the table) listing the scope's LSOAs with their figures, or the hot spot answer's cells and top spots while
 * the hot spot panel has one. Its toggle sits at the map's bottom left.
 */
export function TableDrawer({ ws, choropleth }: { ws: WorkspaceState; choropleth: Choropleth | null }) {
  const t = useAttributeTable(ws, choropleth);
  const id = useId();
  const filterRef = useRef<HTMLInputElement>(null);
  const toggleRef = useRef<HTMLButtonElement>(null);
  const wasOpen = useRef(t.open);
  useEffect(() => {
    if (t.open && !wasOpen.current) filterRef.current?.focus();
    if (!t.open && wasOpen.current) toggleRef.current?.focus();
    wasOpen.current = t.open;
  }, [t.open]);

  if (!t.open) {
    return (
      <button ref={toggleRef} type="button" className="button attr-table-toggle" aria-expanded="false" aria-controls={id} onClick={() => t.setOpen(true)} data-testid="attr-table-toggle">
        Table
      </button>
    );
  }

  const total = t.table?.rows.length ?? 0;
  const { page } = t;
  const counts =
    total === 0
      ? 'No rows yet.'
      : `${t.shown.length === total ? `${formatInteger(total)} rows` : `${formatInteger(t.shown.length)} of ${formatInteger(total)} rows match`}${t.shown.length > page.rows.length ? `; showing ${formatInteger(page.first)}–${formatInteger(page.last)}` : ''}.`;

  return (
    <section className="attr-table" id={id} aria-labelledby={`${id}-title`} data-testid="attr-table">
      <div className="attr-table__bar">
        <h2 className="attr-table__title" id={`${id}-title`}>
          Attribute table
        </h2>
        {t.available.length > 1 && (
          <div className="attr-table__sources" role="group" aria-label="What the table lists">
            {t.available.map((s) => (
              <button key={s} type="button" className="button attr-table__source" aria-pressed={t.source === s} onClick={() => t.chooseSource(s)}>
                {SOURCE_LABELS[s]}
              </button>
            ))}
          </div>
        )}
        <label className="attr-table__filter">
          <span>Filter</span>
          <input
            ref={filterRef}
            type="search"
            value={t.filter}
            onChange={(e) => t.changeFilter(e.target.value)}
            placeholder={t.source === 'lsoas' ? 'Code, name, ward or district' : t.source === 'spots' ? 'Location, LSOA, ward or crime type' : 'Cell or class'}
            aria-describedby={`${id}-counts`}
            data-testid="attr-table-filter"
          />
        </label>
        <span className="attr-table__counts" id={`${id}-counts`} role="status" data-testid="attr-table-counts">
          {counts}
        </span>
        <button type="button" className="button" onClick={t.downloadCsv} disabled={t.shown.length === 0} data-testid="attr-table-csv">
          Download CSV
        </button>
        <button ref={toggleRef} type="button" className="button attr-table__close" aria-expanded="true" aria-controls={id} onClick={() => t.setOpen(false)}>
          Close table
        </button>
      </div>
      {t.table && <p className="attr-table__about" data-testid="attr-table-about">{t.table.about[0]}</p>}
      {t.namesLoading && <p className="hint attr-table__note">Loading LSOA names…</p>}
      {t.namesError && (
        <p className="note-warn attr-table__note" role="alert">
          LSOA names could not be read, so rows show codes and figures only: {t.namesError}
        </p>
      )}
      {t.selectedHidden && (
        <p className="attr-table__note" data-testid="attr-table-hidden">
          The {t.table?.noun} selected on the map is hidden by the filter.{' '}
          <button type="button" className="link-button" onClick={() => t.changeFilter('')}>
            Clear the filter
          </button>
        </p>
      )}
      <div className="attr-table__scroll">
        {!t.table ? (
          <p className="hint">The figures are loading.</p>
        ) : (
          <DataTable<AnyRow>
            caption={`${t.table.about[0]}. ${counts} Sort with the column buttons; choose a row to show it on the map.`}
            columns={t.table.columns}
            rows={page.rows}
            sort={t.sort}
            onSort={t.sortBy}
            selectedId={t.selectedId}
            onChoose={t.choose}
            rowLabel={(r) => rowLabel(t.source, r)}
          />
        )}
      </div>
      {page.pages > 1 && (
        <nav className="attr-table__pager" aria-label="Table pages">
          <button type="button" className="button" onClick={() => t.setPage(page.index - 1)} disabled={page.index === 0}>
            Previous {formatInteger(page.rows.length)}
          </button>
          <span>
            Page {page.index + 1} of {page.pages}
          </span>
          <button type="button" className="button" onClick={() => t.setPage(page.index + 1)} disabled={page.index >= page.pages - 1}>
            Next
          </button>
        </nav>
      )}
    </section>
  );
}
