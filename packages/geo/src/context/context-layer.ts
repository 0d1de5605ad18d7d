import {
  PLACE_LABEL_MIN_ZOOM,
  type AreaGeometry,
  type BoundaryLineFeature,
  type BoundaryLineProperties,
  type ContextLayer,
  type Lsoa,
  type PlaceLabelFeature,
  type PlaceLabelKind,
  type Position,
} from '@safer-places/schemas';
import { boundaryLines } from './boundary-lines';
import { createLocalPlane, labelPoint, meanLatitude } from './label-points';
import { townsOfWards } from './place-names';

/** What the context layer needs of an LSOA. */
export type ContextLsoa = Pick<Lsoa, 'code' | 'name' | 'districtCode' | 'districtName' | 'wardName' | 'geometry'>;

export interface ContextLayerOptions {
  /** Noding distance for boundary lines (boundary-lines.ts); default 1 m, 0 turns it off. */
  snapM?: number;
  /** Leave out the LSOA labels (one per LSOA: the bulk of the labels on a national dataset). Default false. */
  withoutLsoaLabels?: boolean;
}

/**
 * The context layer of a set of LSOAs: district boundaries, ward boundaries (between wards of one district), the
 * outline of the whole set, and a label point for every district, town (towns-of-wards: wards sharing a leading name),
 * ward and LSOA. LSOAs without a ward (data imported without the ward lookup) are in no ward: they add no ward lines
 * or labels, and the district lines, outline and district and LSOA labels are drawn as usual.
 */
export function buildContextLayer(lsoas: readonly ContextLsoa[], options: ContextLayerOptions = {}): ContextLayer {
  const wardKey = (l: ContextLsoa) => (l.wardName ? `${l.districtCode}\u0000${l.wardName}` : null);
  const lines = boundaryLines(
    lsoas.map((l) => ({ geometry: l.geometry, keys: [l.districtCode, wardKey(l)] })),
    { snapM: options.snapM ?? 1 },
  );
  const lineFeature = (level: BoundaryLineProperties['level'], coordinates: Position[][]): BoundaryLineFeature[] =>
    coordinates.length ? [{ type: 'Feature', geometry: { type: 'MultiLineString', coordinates }, properties: { level } }] : [];

  const plane = createLocalPlane(meanLatitude(lsoas.map((l) => l.geometry)));
  const labels: { name: string; kind: PlaceLabelKind; districtCode: string; position: Position; areaM2: number }[] = [];
  const place = (kind: PlaceLabelKind, name: string, districtCode: string, members: readonly AreaGeometry[]) => {
    const at = labelPoint(members, plane);
    if (at) labels.push({ name, kind, districtCode, position: at.position, areaM2: at.areaM2 });
  };

  const districts = groupBy(lsoas, (l) => l.districtCode);
  for (const [code, members] of districts) {
    place('district', members[0]!.districtName, code, members.map((l) => l.geometry));
    const wards = groupBy(
      members.filter((l) => l.wardName),
      (l) => l.wardName!,
    );
    for (const [ward, inWard] of wards) place('ward', ward, code, inWard.map((l) => l.geometry));
    for (const [town, wardNames] of townsOfWards(wards.keys(), members[0]!.districtName)) {
      place('town', town, code, wardNames.flatMap((w) => wards.get(w)!.map((l) => l.geometry)));
    }
  }
  if (!options.withoutLsoaLabels) for (const l of lsoas) place('lsoa', l.name, l.districtCode, [l.geometry]);

  // Rank within each kind: largest first (the map keeps the lower rank when two labels collide), then by name.
  const placeLabels: PlaceLabelFeature[] = [];
  for (const kind of ['district', 'town', 'ward', 'lsoa'] as const) {
    labels
      .filter((l) => l.kind === kind)
      .sort((a, b) => b.areaM2 - a.areaM2 || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .forEach((l, rank) =>
        placeLabels.push({
          type: 'Feature',
          geometry: { type: 'Point', coordinates: l.position },
          properties: { name: l.name, kind, minzoom: PLACE_LABEL_MIN_ZOOM[kind], rank, districtCode: l.districtCode },
        }),
      );
  }
  return {
    districtBoundaries: lineFeature('district', lines.levels[0] ?? []),
    wardBoundaries: lineFeature('ward', lines.levels[1] ?? []),
    studyArea: lineFeature('study-area', lines.outline),
    placeLabels,
  };
}

/** Items grouped by key, groups and members in first-seen order. */
function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}
