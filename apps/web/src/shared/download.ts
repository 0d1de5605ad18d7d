/*
 * Downloads of server-made files (area CSV and GeoJSON, strategic-assessment CSV). They need the bearer token, so the
 * app fetches them and saves the body through a Blob link; the name comes from the server's Content-Disposition,
 * with the same rule as the server as a fallback.
 */

/** The server's file-name rule: lower case, runs of anything else as one hyphen, at most 60 characters. */
export function fileStem(name: string, fallback = 'area'): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 60) || fallback
  );
}

export type AreaExportKind = 'csv' | 'geojson';

/** "Market Place, Northvale" → "market-place-northvale-statistics.csv" / "market-place-northvale.geojson". */
export function areaExportFileName(areaName: string, kind: AreaExportKind): string {
  const stem = fileStem(areaName);
  return kind === 'csv' ? `${stem}-statistics.csv` : `${stem}.geojson`;
}

/** The server's name for the strategic CSV: "strategic-assessment-mansfield-by-district-2024-12.csv" (the place first). */
export function strategicExportFileName(groupBy: string, to: string | null, placeLabel?: string | null): string {
  const place = placeLabel ? `${fileStem(placeLabel, 'place')}-by-` : '';
  return `strategic-assessment-${place}${fileStem(groupBy, 'district')}${to ? `-${to}` : ''}.csv`;
}

export function hotspotExportFileName(period: { from: string; to: string } | null): string {
  return period ? `top-hot-spots-${period.from}-to-${period.to}.csv` : 'top-hot-spots.csv';
}

/**
 * The file name from a Content-Disposition header (`filename*=UTF-8''…` preferred, then `filename="…"`), stripped of
 * any path, or the fallback when there is none.
 */
export function fileNameFromDisposition(header: string | null | undefined, fallback: string): string {
  if (!header) return fallback;
  let name: string | null = null;
  const star = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(header);
  if (star) {
    try {
      name = decodeURIComponent(star[1]!.trim().replace(/^"|"$/g, ''));
    } catch {
      name = null;
    }
  }
  if (!name) {
    const quoted = /filename\s*=\s*"((?:[^"\\]|\\.)*)"/.exec(header);
    const bare = /filename\s*=\s*([^;"\s]+)/.exec(header);
    name = quoted ? quoted[1]!.replace(/\\(.)/g, '$1') : bare ? bare[1]! : null;
  }
  const base = name?.split(/[\\/]/).pop()?.trim();
  return base && base !== '.' && base !== '..' ? base : fallback;
}

/** Saves a Blob as a file through a temporary download link (browser only). */
export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  // Give the browser time to start the download before the URL goes.
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}
