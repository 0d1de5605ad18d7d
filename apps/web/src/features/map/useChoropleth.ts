import { useMemo } from 'react';
import type { LsoaStats, Measure } from '@safer-places/schemas';
import type { LayerCollection } from '../../api/client';
import { answerScope } from '../scope/scopeState';
import { buildChoropleth, shownMeasure, type MeasureRow } from './choropleth';
import { lsoaViewOf } from './lsoaStates';

/**
 * The LSOA shading: the classes and colours of the chosen measure (crime figures or the IMD decile, both from the
 * statistics answer, whose rows are the scope's LSOAs), the feature states and scope the LSOA tiles are drawn with
 * (`lsoaView`), the place the classes are within, and the deprivation source (known only when the LSOA layer's
 * GeoJSON was read, e.g. for a bid).
 */
export function useChoropleth({ measure, stats, lsoas }: { measure: Measure; stats: LsoaStats | null; lsoas?: LayerCollection | undefined }) {
  const rows: readonly MeasureRow[] = useMemo(() => stats?.lsoas ?? [], [stats]);
  // The measure chosen, or the count when the answer has none of it (shownMeasure); the legend says which and why.
  const choropleth = useMemo(() => {
    const shown = shownMeasure(measure, rows);
    return { ...buildChoropleth(shown.measure, rows), ...(shown.substitute && { substitute: shown.substitute }) };
  }, [measure, rows]);
  const paint = useMemo(
    () => ({ classByCode: choropleth.classByCode, colours: choropleth.colours, noDataColour: choropleth.noDataColour }),
    [choropleth],
  );
  const lsoaView = useMemo(() => lsoaViewOf(stats, choropleth.measure, choropleth), [stats, choropleth]);
  const scope = answerScope(stats) ?? lsoas?.scope ?? null;
  const features = lsoas?.features;
  const deprivationSource = (features?.find((f) => f.properties.deprivationSource)?.properties.deprivationSource as string | undefined) ?? null;
  return { choropleth, paint, lsoaView, scope, deprivationSource };
}
