/** How the importer tells districts, partnerships and police forces apart by name. */

/**
 * The district part of an ONS LSOA name: ONS names every LSOA "<district name> <three digits><letter>", e.g.
 * "Nottingham 001A" or "Newark and Sherwood 012C" (the district as it was named when the LSOAs were drawn). Null for a
 * name not written that way.
 */
export function districtNameFromLsoaName(name: string): string | null {
  const m = /^(.+?)\s+\d{3}[A-Z]$/.exec(name.trim());
  return m ? m[1]! : null;
}

/** A name compared without case, accents, punctuation, or "&" against "and". */
export function nameKey(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/**
 * A police force's name reduced to its place, so police.uk's "Falls within" matches the ONS police force area name:
 * "Nottinghamshire Police" ↔ "Nottinghamshire", "Metropolitan Police Service" ↔ "Metropolitan Police",
 * "Avon and Somerset Constabulary" ↔ "Avon and Somerset", "Devon & Cornwall Police" ↔ "Devon and Cornwall",
 * "City of London Police" ↔ "London, City of", "Police Service of Northern Ireland" ↔ "Northern Ireland".
 */
export function forceKey(name: string): string {
  let k = nameKey(name);
  k = k.replace(/^(the )?police service of /, '');
  for (;;) {
    const shorter = k.replace(/ (police service|police force|police|constabulary|service|force)$/, '');
    if (shorter === k || shorter === '') break;
    k = shorter;
  }
  // ONS writes "London, City of"; police.uk "City of London Police".
  const inverted = /^(.+) (city|county|isle) of$/.exec(k);
  return inverted ? `${inverted[2]} of ${inverted[1]}` : k;
}

/** One row of the ONS LAD → CSP → PFA lookup, as the importer keeps it (a dataset document, for later imports). */
export interface DistrictLookupRow {
  lad: string;
  ladName: string;
  csp: string;
  cspName: string;
  /** Police force area; empty when the lookup file has no PFA columns. */
  pfa: string;
  pfaName: string;
}

/** "Ashfield", "Ashfield and Mansfield", "Ashfield, Gedling and Mansfield", "Ashfield, Gedling, Mansfield and 2 more". */
export function listNames(names: string[], most = 3): string {
  if (names.length <= 1) return names[0] ?? '';
  if (names.length > most) return `${names.slice(0, most).join(', ')} and ${names.length - most} more`;
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

export const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-GB')} ${n === 1 ? one : many}`;
