/** Every kind of file the importer recognises, and how it recognises it. */
export type FileKind =
  | 'police-street'
  | 'iod2025'
  | 'imd2019'
  | 'population-lsoa21'
  | 'population-lsoa11'
  | 'lookup-lsoa11-lsoa21'
  | 'lookup-lsoa21-ward-lad'
  | 'lookup-lad-csp'
  | 'lsoa21-boundaries'
  | 'lsoa11-boundaries'
  | 'lad-boundaries'
  | 'onspd-postcodes';

export const POLICE_COLUMNS = [
  'Crime ID',
  'Month',
  'Reported by',
  'Falls within',
  'Longitude',
  'Latitude',
  'Location',
  'LSOA code',
  'LSOA name',
  'Crime type',
  'Last outcome category',
  'Context',
] as const;

/** A CSV column the importer reads, with the header spellings it accepts (ours and the publishers'). */
export interface ColumnSpec {
  field: string;
  names: RegExp;
}

export interface CsvKind {
  kind: FileKind;
  label: string;
  where: string;
  columns: ColumnSpec[];
  /** Columns read when present; their absence does not stop the file being recognised. */
  optional?: ColumnSpec[];
}

const col = (field: string, ...names: string[]): ColumnSpec => ({
  field,
  names: new RegExp(`^(${names.join('|')})$`, 'i'),
});

/** Checked in order: the first kind whose required columns are all present wins. */
export const CSV_KINDS: CsvKind[] = [
  {
    kind: 'police-street',
    label: 'police.uk street-level crime',
    where: 'data.police.uk/data → custom download, "Include crime data"',
    columns: POLICE_COLUMNS.map((c) => col(c, c)),
  },
  {
    kind: 'iod2025',
    label: 'English Indices of Deprivation 2025 (LSOA 2021)',
    where: 'gov.uk "English indices of deprivation 2025", File 7 (all ranks, scores, deciles)',
    columns: [
      col('lsoa21cd', 'lsoa21cd', 'lsoa code \\(2021\\)'),
      col('imd_decile', 'imd_decile', 'index of multiple deprivation \\(imd\\) decile.*'),
    ],
  },
  {
    kind: 'imd2019',
    label: 'English Indices of Deprivation 2019 (LSOA 2011)',
    where: 'gov.uk "English indices of deprivation 2019", File 1 or 2',
    columns: [
      col('lsoa11cd', 'lsoa11cd', 'lsoa code \\(2011\\)'),
      col('imd_rank', 'imd_rank', 'index of multiple deprivation \\(imd\\) rank.*'),
      col('imd_decile', 'imd_decile', 'index of multiple deprivation \\(imd\\) decile.*'),
    ],
  },
  {
    kind: 'population-lsoa21',
    label: 'Census 2021 usual residents (LSOA 2021)',
    where: 'ONS / Nomis Census 2021 TS001 (usual residents) by LSOA 2021',
    columns: [col('lsoa21cd', 'lsoa21cd', 'lsoa code \\(2021\\)', 'geography code'), col('population', 'usual_residents_census2021', 'usual residents')],
  },
  {
    kind: 'population-lsoa11',
    label: 'ONS mid-2020 population estimates (LSOA 2011)',
    where: 'ONS "Lower layer Super Output Area population estimates", mid-2020',
    columns: [col('lsoa11cd', 'lsoa11cd', 'lsoa code'), col('population', 'pop_total_mid2020', 'all ages')],
  },
  {
    kind: 'lookup-lsoa11-lsoa21',
    label: 'LSOA 2011 to LSOA 2021 lookup',
    where: 'ONS Open Geography Portal, "LSOA (2011) to LSOA (2021) to LAD (2022) Lookup"',
    columns: [col('lsoa11cd', 'lsoa11cd'), col('lsoa21cd', 'lsoa21cd'), col('chgind', 'chgind')],
  },
  {
    kind: 'lookup-lsoa21-ward-lad',
    label: 'LSOA 2021 to ward to district lookup',
    where: 'ONS Open Geography Portal, "LSOA (2021) to Ward (2024) to LAD (2024) Lookup"',
    columns: [col('lsoa21cd', 'lsoa21cd'), col('wd24nm', 'wd\\d\\dnm'), col('lad24cd', 'lad\\d\\dcd'), col('lad24nm', 'lad\\d\\dnm')],
  },
  {
    kind: 'lookup-lad-csp',
    label: 'district to Community Safety Partnership lookup',
    where: 'ONS Open Geography Portal, "LAD (2024) to CSP (2024) to PFA (2024) Lookup"',
    columns: [col('lad24cd', 'lad\\d\\dcd'), col('csp24cd', 'csp\\d\\dcd'), col('csp24nm', 'csp\\d\\dnm')],
    // The police force area columns choose a dataset's study area (the districts of the force the crimes fall within).
    optional: [col('lad24nm', 'lad\\d\\dnm'), col('pfa24cd', 'pfa\\d\\dcd'), col('pfa24nm', 'pfa\\d\\dnm')],
  },
  {
    // Optional: postcodes for the search (postcodes.ts). Terminated postcodes (doterm) are skipped.
    kind: 'onspd-postcodes',
    label: 'ONS postcode directory (ONSPD or NSPL)',
    where: 'ONS Open Geography Portal, "ONS Postcode Directory" or "National Statistics Postcode Lookup" (CSV)',
    columns: [col('postcode', 'pcds', 'pcd', 'pcd2'), col('lat', 'lat'), col('long', 'long')],
    optional: [col('doterm', 'doterm'), col('lsoa21', 'lsoa21', 'lsoa21cd')],
  },
];

export const GEOJSON_KINDS: { kind: FileKind; label: string; where: string; property: RegExp; propertyName: string }[] = [
  {
    kind: 'lsoa21-boundaries',
    label: 'LSOA 2021 boundaries (GeoJSON)',
    where: 'ONS Open Geography Portal, "LSOA (Dec 2021) Boundaries EW BSC" (or BGC), as GeoJSON',
    property: /^lsoa21cd$/i,
    propertyName: 'LSOA21CD',
  },
  {
    kind: 'lsoa11-boundaries',
    label: 'LSOA 2011 boundaries (GeoJSON)',
    where: 'ONS Open Geography Portal, LSOA (Dec 2011) boundaries',
    property: /^lsoa11cd$/i,
    propertyName: 'LSOA11CD',
  },
  {
    kind: 'lad-boundaries',
    label: 'district boundaries (GeoJSON)',
    where: 'ONS Open Geography Portal, LAD boundaries',
    property: /^lad\d\dcd$/i,
    propertyName: 'LAD24CD',
  },
];

export function expectedFilesMessage(): string {
  const csv = CSV_KINDS.map((k) => `  - ${k.label}: CSV with columns ${k.kind === 'police-street' ? POLICE_COLUMNS.join(', ') : k.columns.map((c) => c.field).join(', ')}`);
  const geo = GEOJSON_KINDS.map((k) => `  - ${k.label}: FeatureCollection whose features have a ${k.propertyName} property`);
  return ['Expected one of:', ...csv, ...geo].join('\n');
}
