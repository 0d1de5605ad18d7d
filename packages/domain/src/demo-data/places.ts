import type { CrimeCategory, Position } from '@safer-places/schemas';

/**
 * The fixed fictional world the demo data is drawn from. The seed changes the details (cell shapes, where each crime
 * falls), never these places, so documentation and tests can refer to them.
 */

/**
 * The fictional towns lie in open North Sea, 70–100 km off the Yorkshire coast: inside the UK bounds every geometry
 * is checked against, but never on top of a real place, so demo items cannot be mistaken for real ones next to
 * imported data.
 */
export const DEMO_BBOX = [0.9, 54.05, 1.45, 54.45] as const;

export interface DemoTown {
  /** Fictional name; the district carries the same name. */
  name: string;
  centre: Position;
  /** Spread of the town's LSOA seeds (metres): bigger towns sprawl further. */
  sigmaM: number;
  /** Share of the LSOAs that fall in this town. */
  lsoaShare: number;
  /** Relative pull of the town centre on crime. */
  centreWeight: number;
}

export const DEMO_TOWNS: readonly DemoTown[] = [
  { name: 'Northvale', centre: [1.095, 54.365], sigmaM: 2100, lsoaShare: 0.317, centreWeight: 1 },
  { name: 'Kelsworth', centre: [1.325, 54.285], sigmaM: 1700, lsoaShare: 0.217, centreWeight: 0.7 },
  { name: 'Brackenford', centre: [1.025, 54.155], sigmaM: 1500, lsoaShare: 0.167, centreWeight: 0.55 },
  { name: 'Hollowmere', centre: [1.255, 54.115], sigmaM: 1100, lsoaShare: 0.1, centreWeight: 0.3 },
];

export type HotspotKind = 'centre' | 'nte' | 'retail' | 'station' | 'estate' | 'emerging' | 'former';

export interface DemoHotspot {
  name: string;
  town: string;
  kind: HotspotKind;
  centre: Position;
  sigmaM: number;
  /** Relative weight among hotspots of the same kind. */
  weight: number;
}

/** Metres east / north of a town centre → lon/lat (plain equirectangular; exact enough over a few km). */
export function offset(from: Position, eastM: number, northM: number): Position {
  const lat = from[1] + northM / M_PER_DEG_LAT;
  const lon = from[0] + eastM / (M_PER_DEG_LAT * Math.cos((from[1] * Math.PI) / 180));
  return [round6(lon), round6(lat)];
}

export const M_PER_DEG_LAT = 111_320;

export function round6(v: number): number {
  return Math.round(v * 1e6) / 1e6;
}

const town = (name: string) => DEMO_TOWNS.find((t) => t.name === name)!;
const at = (name: string, e: number, n: number) => offset(town(name).centre, e, n);

export const DEMO_HOTSPOTS: readonly DemoHotspot[] = [
  { name: 'Northvale Market Place', town: 'Northvale', kind: 'centre', centre: at('Northvale', 0, 0), sigmaM: 220, weight: 1 },
  { name: 'Northvale Wharf Quarter (night-time economy)', town: 'Northvale', kind: 'nte', centre: at('Northvale', 350, -250), sigmaM: 110, weight: 1 },
  { name: 'Northvale Gate Retail Park', town: 'Northvale', kind: 'retail', centre: at('Northvale', -1900, 1200), sigmaM: 120, weight: 1 },
  { name: 'Northvale Station', town: 'Northvale', kind: 'station', centre: at('Northvale', 500, -600), sigmaM: 90, weight: 1 },
  { name: 'Eastfield estate, Northvale', town: 'Northvale', kind: 'estate', centre: at('Northvale', 1800, 1400), sigmaM: 400, weight: 1 },
  { name: 'Kelsworth Cornhill', town: 'Kelsworth', kind: 'centre', centre: at('Kelsworth', 0, 0), sigmaM: 200, weight: 0.7 },
  { name: 'Kelsworth Riverside (night-time economy)', town: 'Kelsworth', kind: 'nte', centre: at('Kelsworth', -250, 200), sigmaM: 100, weight: 0.6 },
  { name: 'Kelsworth Fosse Retail Park', town: 'Kelsworth', kind: 'retail', centre: at('Kelsworth', 1500, -900), sigmaM: 110, weight: 0.7 },
  { name: 'Kelsworth Bus Station', town: 'Kelsworth', kind: 'station', centre: at('Kelsworth', 300, 250), sigmaM: 80, weight: 0.5 },
  { name: 'Brackenford Square', town: 'Brackenford', kind: 'centre', centre: at('Brackenford', 0, 0), sigmaM: 180, weight: 0.55 },
  { name: 'Brackenford Mill Retail Park', town: 'Brackenford', kind: 'retail', centre: at('Brackenford', -1100, -700), sigmaM: 100, weight: 0.5 },
  { name: 'Lowfield estate, Kelsworth', town: 'Kelsworth', kind: 'estate', centre: at('Kelsworth', -1300, -1100), sigmaM: 350, weight: 0.6 },
  { name: 'Hollowmere Market Place', town: 'Hollowmere', kind: 'centre', centre: at('Hollowmere', 0, 0), sigmaM: 150, weight: 0.3 },
  // Grows over the last 8 months only, so emerging-hotspot analysis has something to find.
  { name: 'Meadowside Recreation Ground, Brackenford', town: 'Brackenford', kind: 'emerging', centre: at('Brackenford', 1300, 900), sigmaM: 140, weight: 1 },
  // Busy in the first months, then fades (e.g. after a closure order): a "former" hotspot.
  { name: 'Hollowmere Old Bus Station', town: 'Hollowmere', kind: 'former', centre: at('Hollowmere', -450, 300), sigmaM: 90, weight: 1 },
];

/** Where each category's crimes happen: shares going to each kind of hotspot; the rest fall in residential areas. */
export const HOTSPOT_SHARES: Record<CrimeCategory, Partial<Record<'centre' | 'nte' | 'retail' | 'station' | 'estate', number>>> = {
  'violent-crime': { centre: 0.18, nte: 0.12, estate: 0.03 },
  'anti-social-behaviour': { centre: 0.2, nte: 0.04, estate: 0.06, station: 0.02 },
  shoplifting: { centre: 0.5, retail: 0.38 },
  'criminal-damage-arson': { centre: 0.08, estate: 0.07 },
  'other-theft': { centre: 0.25, nte: 0.05, retail: 0.08, station: 0.04 },
  'public-order': { centre: 0.22, nte: 0.15, estate: 0.03 },
  'vehicle-crime': { retail: 0.08, station: 0.05, centre: 0.05 },
  burglary: { centre: 0.04 },
  drugs: { centre: 0.2, estate: 0.12, nte: 0.05 },
  'other-crime': { centre: 0.1 },
  'possession-of-weapons': { centre: 0.15, nte: 0.1, estate: 0.05 },
  'bicycle-theft': { centre: 0.25, station: 0.25, retail: 0.05 },
  robbery: { centre: 0.25, nte: 0.1, estate: 0.05 },
  'theft-from-the-person': { centre: 0.45, nte: 0.2, station: 0.1, retail: 0.05 },
};

/** Nottinghamshire's shares of police.uk street crime, 2023-01 to 2024-12 (258,417 rows). */
export const CATEGORY_SHARES: Record<CrimeCategory, number> = {
  'violent-crime': 0.295,
  'anti-social-behaviour': 0.213,
  shoplifting: 0.118,
  'criminal-damage-arson': 0.081,
  'other-theft': 0.065,
  'public-order': 0.062,
  'vehicle-crime': 0.041,
  burglary: 0.033,
  drugs: 0.031,
  'other-crime': 0.023,
  'possession-of-weapons': 0.012,
  'bicycle-theft': 0.009,
  robbery: 0.008,
  'theft-from-the-person': 0.007,
};

/** How strongly residential crime follows deprivation: rate multiplier = a + b × (10 − IMD decile). */
export const DEPRIVATION_GRADIENT: Record<CrimeCategory, [number, number]> = {
  'violent-crime': [0.35, 0.13],
  'anti-social-behaviour': [0.35, 0.13],
  'criminal-damage-arson': [0.35, 0.13],
  drugs: [0.25, 0.16],
  'possession-of-weapons': [0.25, 0.16],
  robbery: [0.3, 0.14],
  'public-order': [0.5, 0.09],
  'other-theft': [0.6, 0.07],
  'other-crime': [0.5, 0.09],
  'theft-from-the-person': [0.6, 0.07],
  shoplifting: [0.6, 0.07],
  burglary: [0.75, 0.05],
  'vehicle-crime': [0.75, 0.05],
  'bicycle-theft': [0.8, 0.04],
};

/** Amplitude of the yearly cycle (peak in July; negative = peak in January). */
export const SEASONALITY: Record<CrimeCategory, number> = {
  'anti-social-behaviour': 0.18,
  'violent-crime': 0.1,
  'public-order': 0.08,
  'bicycle-theft': 0.25,
  'criminal-damage-arson': 0.06,
  burglary: -0.08,
  'vehicle-crime': -0.04,
  shoplifting: 0.02,
  'other-theft': 0.04,
  drugs: 0.03,
  'other-crime': 0.02,
  'possession-of-weapons': 0.05,
  robbery: -0.03,
  'theft-from-the-person': 0.03,
};

/** Category mix of the emerging and former hotspots (an ASB-led problem around a park or old bus station). */
export const PROBLEM_SITE_MIX: [CrimeCategory, number][] = [
  ['anti-social-behaviour', 0.45],
  ['violent-crime', 0.2],
  ['criminal-damage-arson', 0.15],
  ['drugs', 0.1],
  ['public-order', 0.1],
];

/** police.uk "Last outcome category" shares per category (Nottinghamshire 2023–24, rounded); ASB has none. */
export const OUTCOMES: Record<Exclude<CrimeCategory, 'anti-social-behaviour'>, [string, number][]> = (() => {
  const NS = 'Investigation complete; no suspect identified';
  const UP = 'Unable to prosecute suspect';
  const CR = 'Court result unavailable';
  const LR = 'Local resolution';
  const AO = 'Action to be taken by another organisation';
  const SU = 'Status update unavailable';
  const FI = 'Further investigation is not in the public interest';
  const FA = 'Formal action is not in the public interest';
  const OC = 'Offender given a caution';
  const AC = 'Awaiting court outcome';
  const DW = 'Offender given a drugs possession warning';
  return {
    'violent-crime': [[UP, 63], [NS, 17], [CR, 8], [AO, 3], [LR, 2], [SU, 2], [FI, 2], [OC, 1]],
    'other-theft': [[NS, 75], [UP, 20], [CR, 2], [LR, 1], [SU, 1], [FA, 1]],
    'public-order': [[UP, 48], [NS, 29], [CR, 11], [LR, 4], [FA, 1], [OC, 1], [AO, 1]],
    robbery: [[NS, 47], [UP, 35], [CR, 14], [SU, 1], [AC, 1]],
    'other-crime': [[UP, 48], [NS, 25], [CR, 8], [AO, 5], [SU, 3], [FA, 2]],
    drugs: [[CR, 24], [LR, 17], [UP, 14], [NS, 12], [OC, 8], [SU, 6], [DW, 5], [FA, 4]],
    'possession-of-weapons': [[UP, 36], [CR, 33], [NS, 12], [OC, 4], [SU, 3], [LR, 3]],
    'vehicle-crime': [[NS, 87], [UP, 8], [CR, 3]],
    burglary: [[NS, 78], [UP, 13], [CR, 7], [SU, 1], [AC, 1]],
    'criminal-damage-arson': [[NS, 62], [UP, 25], [CR, 6], [LR, 3], [OC, 1], [AO, 1], [FA, 1]],
    shoplifting: [[NS, 62], [CR, 22], [UP, 10], [LR, 3], [FA, 1], [OC, 1]],
    'theft-from-the-person': [[NS, 67], [UP, 27], [CR, 2], [LR, 2], [FA, 1], [SU, 1]],
    'bicycle-theft': [[NS, 88], [UP, 7], [CR, 3]],
  };
})();

export const STREET_NAMES: readonly string[] = [
  'Mill Lane', 'Church Lane', 'Station Road', 'Park Avenue', 'Victoria Road', 'Albert Street', 'Chapel Street', 'School Lane',
  'The Crescent', 'Orchard Close', 'Meadow Way', 'Willow Road', 'Beech Avenue', 'Oak Tree Drive', 'Elm Grove', 'Ash Close',
  'Hawthorn Way', 'Laburnum Grove', 'Sycamore Road', 'Chestnut Drive', 'Cedar Close', 'Rowan Crescent', 'Holly Lane', 'Birch Avenue',
  'Queens Road', 'Kings Drive', 'Princess Street', 'Windsor Close', 'Balmoral Road', 'York Street', 'Lancaster Road', 'Stuart Street',
  'Nelson Street', 'Wellington Road', 'Trafalgar Street', 'Waterloo Road', 'Cromwell Street', 'Garfield Road', 'Gladstone Street',
  'Derby Road', 'Lincoln Road', 'Newark Lane', 'Sheffield Road', 'Leicester Street', 'Southwell Road', 'Retford Road',
  'Field Lane', 'Green Lane', 'Back Lane', 'Moor Lane', 'Common Lane', 'Long Lane', 'Brook Street', 'Spring Gardens', 'Well Lane',
  'Bridge Road', 'Canal Street', 'Wharf Road', 'Lock Lane', 'Ferry Lane', 'Riverside Walk', 'Weir Close', 'Marsh Lane',
  'Forest Road', 'Woodland Drive', 'Heath Road', 'Heather Close', 'Bracken Way', 'Fern Road', 'Bluebell Close', 'Foxglove Road',
  'Primrose Way', 'Cowslip Close', 'Daisy Road', 'Clover Court', 'Thistle Close', 'Bramble Way', 'Ivy Lane', 'Juniper Close',
  'Kestrel Road', 'Falcon Way', 'Heron Drive', 'Kingfisher Close', 'Swallow Road', 'Wren Court', 'Lapwing Way', 'Curlew Close',
  'Grange Road', 'Manor Road', 'Hall Lane', 'Rectory Road', 'Vicarage Close', 'Priory Road', 'Abbey Road', 'Castle Road',
  'Hill Road', 'Hillside', 'Highfield Road', 'Westfield Lane', 'Eastfield Road', 'Northfield Avenue', 'Southfield Drive',
  'Cherry Tree Close', 'Plum Tree Road', 'Apple Grove', 'Pear Tree Lane', 'Walnut Close', 'Hazel Grove', 'Alder Way',
  'Coronation Street', 'Jubilee Road', 'Diamond Avenue', 'Festival Road', 'Empire Street', 'Carlton Road', 'Granby Street',
  'Cavendish Road', 'Portland Street', 'Welbeck Road', 'Clumber Avenue', 'Rufford Road', 'Thoresby Street', 'Bentinck Road',
  'Coppice Road', 'Spinney Close', 'Copse Lane', 'Dale Road', 'Vale Road', 'Glebe Street', 'Paddock Close', 'Stable Yard',
  'Colliery Road', 'Pit Lane', 'Miners Way', 'Headstock Close', 'Engine Lane', 'Foundry Street', 'Forge Road', 'Tannery Lane',
];

export const CENTRE_STREET_NAMES: readonly string[] = [
  'High Street', 'Market Place', 'Market Street', 'Bridge Street', 'Church Street', 'King Street', 'Queen Street', 'Castle Gate',
  'Westgate', 'Eastgate', 'Low Pavement', 'Cornhill', 'Sheep Lane', 'Silver Street', 'Wheat Market', 'Bull Ring',
];

export const VILLAGE_NAMES: readonly string[] = [
  'Thornby Wold', 'Amblethorpe', 'Ridgecombe', 'Lower Fenby', 'Whitlow Cross', 'Cottersby', 'Marrowfield', 'Saxby Moor',
  'Hemblington Fen', 'Oxendale', 'Little Carrow', 'Greythorpe', 'Sallowby', 'Fennick', 'Upper Wrenby', 'Stoneacre',
  'Brindlecote', 'Wickham Fold', 'Hatherby', 'Quenby Marsh',
];

export const WARD_NAMES: readonly string[] = [
  'Castle', 'Abbey', 'Market', 'Riverside', 'Station', 'Parkside', 'Hillcrest', 'Meadows', 'Oakfield', 'Ashgrove', 'Brookside',
  'Kingsway', 'Fernleigh', 'Moorgate', 'Westfield', 'Eastfield', 'Church', 'Millbrook', 'Forest', 'Heathfield', 'Lowfield',
  'Bridge', 'Northgate', 'Southwood', 'Greenhill', 'Springfield', 'Harrow', 'Beacon', 'Lakeside', 'Windmill',
];
