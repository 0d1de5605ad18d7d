/*
 * Where a location is, in the words analysts use: police.uk's "On or near …" text with the ward and district the
 * server adds to every location users read (top hot spots, patrol stops, gaps, sites, rotation, help points).
 */

function text(v: unknown): string | null {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : null;
}

/** "Oak Tree ward, Mansfield" from a row's `ward` and `district`; null when it has neither. */
export function placeText(row: object | null | undefined): string | null {
  if (!row) return null;
  const r = row as { ward?: unknown; district?: unknown };
  const ward = text(r.ward);
  const district = text(r.district);
  const wardText = ward ? (/\bward$/i.test(ward) ? ward : `${ward} ward`) : null;
  if (wardText && district) return `${wardText}, ${district}`;
  return wardText ?? district;
}
