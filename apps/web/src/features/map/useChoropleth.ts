import { useMemo } from 'react';
import type { LsoaStats, Measure } from '@safer-places/schemas';
import type { LayerCollection } from '../../api/client';
import { answerScope } from '../scope/scopeState';
import { buildChoropleth, type MeasureRow } from './choropleth';

/**
 * The LSOA shading: the classes and colours of the chosen measure (crime figures, or the IMD decile from the LSOA layer),
 * the place the classes are within (what the figures say, else the LSOA layer), and the deprivation source.
 */
export function useChoropleth({ measure, stats, lsoas }: { measure: Measure; stats: LsoaStats | null; lsoas: LayerCollection | undefined }) {
  const features = lsoas?.features;
  const allCodes = useMemo(() => features?.map((f) => String(f.properties.code)) ?? [], [features]);
  const choropleth = useMemo(() => {
    let rows: MeasureRow[];
    if (measure === 'imd-decile') {
      rows = (features ?? []).map((f) => ({ code: String(f.properties.code), imdDecile: f.properties.imdDecile as number | null }));
    } else {
      rows = stats?.lsoas ?? [];
    }
    return buildChoropleth(measure, rows, allCodes);
  }, [measure, stats, features, allCodes]);
  const paint = useMemo(
    () => ({ classByCode: choropleth.classByCode, colours: choropleth.colours, noDataColour: choropleth.noDataColour }),
    [choropleth],
  );
  const scope = answerScope(stats) ?? lsoas?.scope ?? null;
  const deprivationSource = (features?.find((f) => f.properties.deprivationSource)?.properties.deprivationSource as string | undefined) ?? null;
  return { choropleth, paint, scope, deprivationSource };
}
