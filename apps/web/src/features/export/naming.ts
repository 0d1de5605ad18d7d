import type { Measure } from '@safer-places/schemas';
import { fileStem } from '../../shared/download';
import { MEASURE_TITLES } from '../map/choropleth';
import { periodLabel } from '../../shared/period';

/*
 * The words of an exported map: its default title, the subtitle with period and dataset, the attribution line and the
 * file name. Pure, so every wording is tested as text.
 */

/** The fixed notice for what every map of this app is made from: ONS boundaries (OS data), ONS figures, police.uk crimes. */
export const DATA_ATTRIBUTION = 'Contains OS data © Crown copyright and database right; ONS; police.uk, OGL v3';

export const SYNTHETIC_LABEL = 'Synthetic demo data: generated figures, not real crime';

/** A date as YYYY-MM-DD in local time (the user's "today"). */
export function isoDate(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

/** "safer-places-map-nottingham-2025-03-01.png": the place, then the day it was made. */
export function mapExportFileName(scopeLabel: string | null | undefined, made: Date): string {
  return `safer-places-map-${fileStem(scopeLabel ?? '', 'study-area')}-${isoDate(made)}.png`;
}

export interface TitleInput {
  measure: Measure;
  categoryLabel: string;
  scopeLabel: string | null | undefined;
  /** The analysis on the map, when one is open: its legend title says what the map shows better than the shading. */
  analysisTitle?: string | null;
}

/**
 * "Crimes per 1,000 residents: Burglary, Mansfield": the measure (with units) and crime types, then the place. With an
 * analysis open (hot spots, a patrol plan, a bid) its own title leads instead.
 */
export function defaultTitle(t: TitleInput): string {
  const place = t.scopeLabel?.trim() || 'Study area';
  if (t.analysisTitle) return `${t.analysisTitle}, ${place}`;
  if (t.measure === 'imd-decile') return `Deprivation (IMD decile), ${place}`;
  return `${MEASURE_TITLES[t.measure]}: ${t.categoryLabel}, ${place}`;
}

/** "Jan 2024 to Dec 2024 (12 months) · Nottinghamshire police.uk 2024 · made 2025-03-01". */
export function subtitle(s: { period: { from: string; to: string } | null; datasetName: string | null; made: Date }): string {
  const parts: string[] = [];
  if (s.period) parts.push(periodLabel(s.period.from, s.period.to));
  if (s.datasetName) parts.push(s.datasetName);
  parts.push(`made ${isoDate(s.made)}`);
  return parts.join(' · ');
}

/** Plain text of an attribution string that may carry HTML (links, © entities), as MapLibre sources do. */
export function plainAttribution(html: string): string {
  return html
    .replace(/<[^>]*>/g, '')
    .replace(/&copy;/gi, '©')
    .replace(/&amp;/gi, '&')
    .replace(/&nbsp;/gi, ' ')
    .replace(/&lt;/gi, '<')
    .replace(/&gt;/gi, '>')
    .replace(/&quot;/gi, '"')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * The attribution line: the base map's own (each source's, once, HTML removed) and the data notice. With no base map
 * drawn (offline) the line says so, so a reader knows the plain background is not missing streets by mistake.
 */
export function attributionLine(baseMapAttributions: readonly string[]): string {
  const seen = new Set<string>();
  const parts: string[] = [];
  for (const a of baseMapAttributions) {
    const text = plainAttribution(a);
    if (text && !seen.has(text)) {
      seen.add(text);
      parts.push(text);
    }
  }
  const base = parts.length > 0 ? `Base map: ${parts.join('; ')}` : 'No street base map (offline)';
  return `${base}. ${DATA_ATTRIBUTION}.`;
}
