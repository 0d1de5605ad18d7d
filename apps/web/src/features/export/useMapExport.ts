import { useCallback, useState } from 'react';
import { saveBlob } from '../../shared/download';
import { legendModel, type LegendModelInput } from '../map/legendModel';
import { captureMap } from './capture';
import { canvasToPng, composePage, type ExportContent } from './compose';
import { a4LandscapePixels, TYPE } from './layout';
import { attributionLine, mapExportFileName, SYNTHETIC_LABEL, subtitle } from './naming';
import type { ExportWorkspace } from './source';

export type ExportFormat = 'png' | 'print';

/** The PNG's resolution: twice the screen's CSS pixels, sharp in a report printed at the map's on-screen size. */
export const PNG_PIXEL_RATIO = 2;
/** The print page's resolution. */
export const PRINT_DPI = 200;

/** How much sharper than the screen the map must be drawn to fill the print page's map area at PRINT_DPI. */
export function printPixelRatio(cssW: number, dpi = PRINT_DPI): number {
  const page = a4LandscapePixels(dpi);
  const regionW = page.width - (2 * TYPE.margin + TYPE.gap + TYPE.legendWidth) * page.unit;
  return Math.max(1, regionW / Math.max(1, cssW));
}

export interface PrintPicture {
  url: string;
  alt: string;
  title: string;
}

/**
 * Makes the export: a picture of the map as it is, composed with the title block, legend, scale bar, north arrow and
 * attribution, then either saved as a PNG or handed to the print layout (A4 landscape).
 */
export function useMapExport(ws: ExportWorkspace, legendInput: LegendModelInput) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [print, setPrint] = useState<PrintPicture | null>(null);

  const run = useCallback(
    async (format: ExportFormat, title: string): Promise<boolean> => {
      const map = ws.mapHandle.current?.getMap() ?? null;
      if (!map) {
        setError('The map is not ready yet: try again in a moment.');
        return false;
      }
      setBusy(true);
      setError(null);
      try {
        const made = new Date();
        const cssW = map.getContainer().clientWidth;
        const captured = await captureMap(map, { pixelRatio: format === 'png' ? PNG_PIXEL_RATIO : printPixelRatio(cssW) });
        const legend = legendModel(legendInput);
        const content: ExportContent = {
          title: title.trim() || 'Safer Places map',
          subtitle: subtitle({ period: legendInput.period, datasetName: ws.dataset?.name ?? null, made }),
          syntheticLabel: ws.dataset?.synthetic ? SYNTHETIC_LABEL : null,
          legend,
          attribution: attributionLine(captured.attributions),
        };
        const page = composePage(content, captured, format === 'png' ? { kind: 'png' } : { kind: 'print', dpi: PRINT_DPI });
        const blob = await canvasToPng(page.canvas);
        if (format === 'png') saveBlob(blob, mapExportFileName(ws.scope.label, made));
        else {
          const legendText = legend.sections.map((s) => `${s.title}: ${s.rows.map((r) => r.label).join('; ')}`).join('. ');
          setPrint((old) => {
            if (old) URL.revokeObjectURL(old.url);
            return { url: URL.createObjectURL(blob), title: content.title, alt: `${content.title}. ${content.subtitle}. ${legendText}. ${content.attribution}` };
          });
        }
        return true;
      } catch (err) {
        setError(`The map could not be exported: ${(err as Error).message}`);
        return false;
      } finally {
        setBusy(false);
      }
    },
    [ws.mapHandle, ws.dataset, ws.scope.label, legendInput],
  );

  const closePrint = useCallback(() => {
    setPrint((old) => {
      if (old) URL.revokeObjectURL(old.url);
      return null;
    });
  }, []);

  return { busy, error, run, print, closePrint };
}
