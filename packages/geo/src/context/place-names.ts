/**
 * Town names from ward names. The wards of a town are usually named after it with a part of town added: "Hucknall
 * North", "Hucknall South", "Hucknall Central"; "East Retford West"; "Eastwood Hall", "Eastwood Hilltop"; "Sutton St
 * Mary's", "Sutton Junction & Harlow Wood". So the towns of a district are the leading words two or more of its wards
 * share: each ward is given the longest such leading run of words that ends on a place word (not a compass point or a
 * word like "The", "St", "New", "&": "Worksop North East" and "Worksop North" give "Worksop"), and a run that ends up
 * with two or more wards is a town.
 * "East Markham" beside "East Retford North" and "East Retford South" stays a ward: "East" is no town, and "East
 * Retford" is the longer run its neighbours share. A ward named exactly as the town ("Bulwell" beside "Bulwell Forest")
 * is part of it. A town with its district's own name is left out: the district's label already says it.
 */
const NOT_A_PLACE = new Set(['north', 'south', 'east', 'west', 'central', 'centre', 'the', 'st', 'st.', 'saint', 'upper', 'lower', 'great', 'little', 'old', 'new', 'market', 'and', '&']);

const words = (name: string) => name.trim().split(/\s+/).filter(Boolean);
const keyOf = (w: readonly string[]) => w.join(' ').toLowerCase();

/**
 * The towns of one district's wards: town name → its wards' names (sorted), for every town of two or more wards.
 * `districtName` (optional) is left out as a town (compared without a trailing bracket such as "(synthetic)").
 */
export function townsOfWards(wardNames: Iterable<string>, districtName?: string): Map<string, string[]> {
  const names = [...new Set([...wardNames].map((n) => n.trim()).filter(Boolean))].sort();
  // How many wards begin with each run of words (a ward's whole name counts too: "Bulwell" begins "Bulwell Forest"'s town).
  const count = new Map<string, number>();
  for (const n of names) {
    const w = words(n);
    for (let k = 1; k <= w.length; k++) count.set(keyOf(w.slice(0, k)), (count.get(keyOf(w.slice(0, k))) ?? 0) + 1);
  }
  const towns = new Map<string, { name: string; wards: string[] }>();
  for (const n of names) {
    const w = words(n);
    for (let k = w.length; k >= 1; k--) {
      const run = w.slice(0, k);
      const key = keyOf(run);
      // A run must be shared with another ward and end on a word that names a place (not "Worksop North", "Sutton &").
      if ((count.get(key) ?? 0) < 2 || NOT_A_PLACE.has(run[run.length - 1]!.toLowerCase())) continue;
      const town = towns.get(key) ?? { name: run.join(' '), wards: [] };
      town.wards.push(n);
      towns.set(key, town);
      break;
    }
  }
  const district = districtName ? districtName.replace(/\s*\([^)]*\)\s*$/, '').trim().toLowerCase() : null;
  return new Map(
    [...towns.values()]
      .filter((t) => t.wards.length >= 2 && t.name.toLowerCase() !== district)
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .map((t) => [t.name, t.wards.sort()]),
  );
}
