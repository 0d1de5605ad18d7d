import { useEffect, useMemo, useState } from 'react';
import type { BBox } from '@safer-places/schemas';
import type { WorkspaceState } from '../../app/useWorkspace';
import type { Choropleth } from '../map/choropleth';
import { populationSourceLabel } from '../../shared/labels';
import { saveBlob } from '../../shared/download';
import { cellColumns, cellRows, hotspotTableAbout, SPOT_BOX, SPOT_COLUMNS, spotRows, type CellRow, type SpotRow } from './hotspotRows';
import { lsoaColumns, lsoaRows, lsoaTableAbout, type LsoaRow } from './lsoaRows';
import { filterRows, nextSort, pageOf, pageOfId, sortRows, tableCsv, tableFileName, type Column, type Identified, type SortState } from './tableModel';
import { useLsoaAttributes } from './useLsoaAttributes';

/** What the table lists: the scope's LSOAs, or the hot spot answer's cells or top spots. */
export type TableSource = 'lsoas' | 'cells' | 'spots';

type AnyRow = LsoaRow | CellRow | SpotRow;

const DEFAULT_SORT: Record<TableSource, SortState> = {
  lsoas: { key: 'count', direction: 'descending' },
  cells: { key: 'count', direction: 'descending' },
  spots: { key: 'rank', direction: 'ascending' },
};

/**
 * The attribute table's state and what its rows do. Rows and map are linked both ways: choosing a row selects the LSOA
 * (or hot spot cell or spot) the way a map click does and fits the map to it; a map click selects its row, and the
 * table turns to the page the row is on. The table never draws more than one page of rows.
 */
export function useAttributeTable(ws: WorkspaceState, choropleth: Choropleth | null) {
  const [open, setOpen] = useState(false);
  const [chosen, setChosen] = useState<TableSource>('lsoas');
  const [sorts, setSorts] = useState<Record<TableSource, SortState>>(DEFAULT_SORT);
  const [filter, setFilter] = useState('');
  const [page, setPage] = useState(0);

  const answer = ws.tool === 'hotspots' ? ws.hotspots.answer : null;
  const available: TableSource[] = ['lsoas', ...(answer ? (['cells'] as const) : []), ...(answer?.mode === 'gi' ? (['spots'] as const) : [])];
  const source: TableSource = available.includes(chosen) ? chosen : 'lsoas';

  const stats = ws.stats.stats;
  const names = useLsoaAttributes({
    api: ws.api,
    enabled: open && source === 'lsoas',
    datasetId: ws.datasetId,
    scopeKey: ws.scopeKey,
    loaded: ws.map.layers.lsoas,
    loadedScope: ws.map.lsoasScope,
  });

  // The measure the map's classes are of (the count when the one chosen has no figures here: shownMeasure).
  const measure = choropleth?.measure ?? ws.prefs.measure;
  const table = useMemo(() => {
    if (source === 'lsoas') {
      if (!stats) return null;
      const about = lsoaTableAbout(stats, populationSourceLabel(ws.dataset));
      return { columns: lsoaColumns(measure) as Column<AnyRow>[], rows: lsoaRows(stats, names.attributes, choropleth) as AnyRow[], about, noun: 'LSOA' };
    }
    if (!answer) return null;
    if (source === 'cells') return { columns: cellColumns(answer) as Column<AnyRow>[], rows: cellRows(answer) as AnyRow[], about: hotspotTableAbout(answer, 'cells'), noun: 'cell' };
    return { columns: SPOT_COLUMNS as Column<AnyRow>[], rows: spotRows(answer) as AnyRow[], about: hotspotTableAbout(answer, 'spots'), noun: 'hot spot' };
  }, [source, stats, ws.dataset, measure, names.attributes, choropleth, answer]);

  const sort = sorts[source];
  const shown = useMemo(() => (table ? sortRows(filterRows(table.rows, table.columns, filter), table.columns, sort) : []), [table, filter, sort]);
  const current = pageOf(shown, page);

  // What is selected on the map, as a row id of the table shown.
  const selectedId =
    source === 'lsoas' ? (ws.selection?.layer === 'lsoas' ? ws.selection.id : null) : source === 'cells' ? (ws.hotspots.cell === null ? null : String(ws.hotspots.cell)) : ws.hotspots.spot;
  const selectedPage = selectedId === null ? null : pageOfId(shown, selectedId);
  const selectedHidden = selectedId !== null && selectedPage === null && !!table?.rows.some((r) => r.id === selectedId);
  // A selection made on the map turns the table to its row's page.
  useEffect(() => {
    if (selectedPage !== null) setPage(selectedPage);
  }, [selectedId, selectedPage]);

  const fit = (bbox: BBox | null) => {
    if (bbox) ws.setPendingFit(bbox);
  };

  /** A row chosen (click or Enter): select it on the map as a click would, and show it there. */
  const choose = (row: AnyRow) => {
    if (source === 'lsoas') {
      const r = row as LsoaRow;
      const a = names.attributes?.get(r.code);
      ws.map.rememberLsoa(a?.properties ?? { code: r.code, population: r.population, imdDecile: r.imdDecile });
      ws.setSelection({ layer: 'lsoas', id: r.code });
      fit(a?.bbox ?? null);
      ws.announce(`${r.name ?? r.code} selected on the map.`);
    } else if (source === 'cells') {
      const r = row as CellRow;
      ws.setSelection(null);
      ws.hotspots.setCell(r.cell);
      fit(r.bbox);
      ws.announce(`Cell ${r.cell} selected on the map.`);
    } else {
      const r = row as SpotRow;
      ws.setSelection(null);
      ws.hotspots.setSpot(r.key);
      fit([r.lon - SPOT_BOX.dLon, r.lat - SPOT_BOX.dLat, r.lon + SPOT_BOX.dLon, r.lat + SPOT_BOX.dLat]);
      ws.announce(`${r.crimeType} hot spot ${r.rank} selected on the map.`);
    }
  };

  const sortBy = (column: Column<AnyRow>) => {
    setSorts((s) => ({ ...s, [source]: nextSort(s[source], column) }));
    setPage(0);
  };
  const changeFilter = (text: string) => {
    setFilter(text);
    setPage(0);
  };
  const chooseSource = (s: TableSource) => {
    setChosen(s);
    setFilter('');
    setPage(0);
  };

  /** The filtered rows, in the order shown (every page), as a CSV file that says what it holds. */
  const downloadCsv = () => {
    if (!table) return;
    const csv = tableCsv(table.about, table.columns, shown);
    const scope = source === 'lsoas' ? stats?.scope?.label : answer?.result.scope.label;
    const period = source === 'lsoas' ? (stats ? `${stats.from}-to-${stats.to}` : null) : answer ? `${answer.result.period.from}-to-${answer.result.period.to}` : null;
    const what = source === 'lsoas' ? `lsoas-${stats?.category ?? ''}` : source === 'cells' ? `hot-spot-cells-${answer?.mode ?? ''}` : 'top-hot-spots';
    saveBlob(new Blob([csv], { type: 'text/csv;charset=utf-8' }), tableFileName([what, scope, period]));
    ws.announce(`Downloaded ${shown.length} ${shown.length === 1 ? 'row' : 'rows'} as CSV.`);
  };

  return {
    open,
    setOpen,
    source,
    available,
    chooseSource,
    table,
    sort,
    sortBy,
    filter,
    changeFilter,
    shown,
    page: current,
    setPage,
    selectedId,
    selectedHidden,
    choose,
    downloadCsv,
    namesLoading: source === 'lsoas' && names.loading,
    namesError: source === 'lsoas' ? names.error : null,
  };
}

export type AttributeTableState = ReturnType<typeof useAttributeTable>;
export type { AnyRow, Identified };
