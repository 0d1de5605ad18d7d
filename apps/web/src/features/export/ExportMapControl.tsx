import { useEffect, useMemo, useState } from 'react';
import { selectionLabel } from '@safer-places/schemas';
import { useChoropleth } from '../map/useChoropleth';
import { ExportDialog } from './ExportDialog';
import { PrintLayout } from './PrintLayout';
import { defaultTitle } from './naming';
import { analysisTitle, exportLegendInput, offerMapForPictures, type ExportWorkspace } from './source';
import { useMapExport } from './useMapExport';
import './export.css';

/**
 * "Export map…" in the map controls: opens a small dialog (title, PNG or print), then saves the PNG or shows the A4
 * landscape print layout. While mounted it also offers the map for other pictures (the patrol sheet's route map).
 */
export function ExportMapControl({ ws }: { ws: ExportWorkspace }) {
  const [open, setOpen] = useState(false);
  const { mapHandle } = ws;
  useEffect(() => offerMapForPictures(() => mapHandle.current?.getMap() ?? null), [mapHandle]);
  // The same shading as the map pane's legend (same inputs, same pure builder).
  const shading = useChoropleth({ measure: ws.prefs.measure, stats: ws.stats.stats, lsoas: ws.map.layers.lsoas });
  const legendInput = useMemo(
    () => exportLegendInput(ws, shading),
    // The parts of the workspace the legend reads (see exportLegendInput).
    [shading, ws.tool, ws.prefs.visible, ws.prefs.showCoverage, ws.prefs.measure, ws.prefs.category, ws.stats.stats, ws.map.truncated, ws.areas.show, ws.areas.saved, ws.hotspots.legend, ws.planner.mapState.legend, ws.bid.legend],
  );
  const exporter = useMapExport(ws, legendInput);
  const stats = ws.stats.stats;
  const suggested = defaultTitle({
    // What the picture shows: the count when the measure chosen has no figures here (shownMeasure).
    measure: shading.choropleth.measure,
    categoryLabel: stats?.categoryLabel ?? selectionLabel(ws.prefs.category),
    scopeLabel: ws.scope.label,
    analysisTitle: analysisTitle(ws),
  });

  return (
    <section className="control-group" aria-label="Export">
      <h2 className="control-group__title">Export</h2>
      <button type="button" className="button button--block" aria-haspopup="dialog" aria-expanded={open} disabled={!ws.dataset} onClick={() => setOpen(true)} data-testid="export-map-open">
        Export map…
      </button>
      <p className="hint">A PNG of the map in view, or an A4 landscape page to print, with title, legend, scale and sources.</p>
      {open && (
        <ExportDialog
          suggestedTitle={suggested}
          busy={exporter.busy}
          error={exporter.error}
          onExport={async (format, title) => {
            if (await exporter.run(format, title)) setOpen(false);
          }}
          onClose={() => setOpen(false)}
        />
      )}
      {exporter.print && <PrintLayout picture={exporter.print} onClose={exporter.closePrint} />}
    </section>
  );
}
