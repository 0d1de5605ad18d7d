/** Command-line flags of `npm run fetch-data`. */
export interface FetchArgs {
  force: string;
  lads: string[];
  from?: string;
  to?: string;
  out?: string;
  dataset?: string;
  skipImport: boolean;
  policeApi?: string;
  onsApi?: string;
  dataDir?: string;
  endpoint?: string;
  table?: string;
  help: boolean;
}

/** A bad flag: the CLI prints the message and the usage, exits with code 2 and fetches nothing. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export const USAGE = `Usage: npm run fetch-data -- --force <police.uk force id> --lad <LAD code>[,<LAD code>…] [options]

Downloads police.uk street-level crime (police.uk API) and ONS LSOA 2021 boundaries for the listed districts,
writes them as police.uk street CSVs and a GeoJSON file, then imports that folder as \`npm run import\` does.

Required
  --force <id>          police.uk force id, e.g. nottinghamshire, metropolitan, west-yorkshire
  --lad <codes>         local authority district codes (LAD 2024), comma-separated or repeated,
                        e.g. E07000174,E07000170
Options
  --from <YYYY-MM>      first month (default: 11 months before --to, or the oldest police.uk has)
  --to <YYYY-MM>        last month (default: the newest month police.uk has)
  --out <folder>        where to write the files (default: data/fetched/<force>-<from>-to-<to>)
  --dataset <id>        dataset to import into (passed to the importer)
  --skip-import         only download and write the files
  --data-dir <folder>   store folder for the import (as npm run import)
  --endpoint <url>      DynamoDB endpoint for the import (as npm run import)
  --table <name>        DynamoDB table for the import (as npm run import)
  --police-api <url>    police.uk API base (default https://data.police.uk/api, env POLICE_API_URL)
  --ons-api <url>       ONS ArcGIS services base (env ONS_API_URL)
  -h, --help            show this help`;

const VALUE_FLAGS = {
  '--force': 'force',
  '--lad': 'lad',
  '--from': 'from',
  '--to': 'to',
  '--out': 'out',
  '--dataset': 'dataset',
  '--police-api': 'policeApi',
  '--ons-api': 'onsApi',
  '--data-dir': 'dataDir',
  '--endpoint': 'endpoint',
  '--table': 'table',
} as const;

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
/** LAD codes: E06 unitary, E07 non-metropolitan district, E08 metropolitan borough, E09 London borough, W06 Welsh. */
const LAD = /^(E0[6-9]|W06)\d{6}$/;
const FORCE = /^[a-z0-9]+(-[a-z0-9]+)*$/;

export function parseFetchArgs(argv: readonly string[]): FetchArgs {
  const values: Partial<Record<(typeof VALUE_FLAGS)[keyof typeof VALUE_FLAGS], string>> = {};
  const lads: string[] = [];
  let skipImport = false;
  let help = false;

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '-h' || arg === '--help') {
      help = true;
      continue;
    }
    if (arg === '--skip-import') {
      skipImport = true;
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    const key = VALUE_FLAGS[name as keyof typeof VALUE_FLAGS];
    if (!key) {
      throw new UsageError(
        arg.startsWith('-') ? `unknown option ${name}` : `unexpected argument '${arg}' (every value needs its flag, e.g. --lad ${arg})`,
      );
    }
    let value: string | undefined;
    if (name !== arg) value = arg.slice(eq + 1);
    else {
      value = argv[i + 1];
      if (value === undefined || value.startsWith('--')) throw new UsageError(`${name} needs a value`);
      i++;
    }
    value = value.trim();
    if (value === '') throw new UsageError(`${name} needs a value`);
    if (key === 'lad') lads.push(...value.split(',').map((s) => s.trim()).filter(Boolean));
    else {
      if (values[key] !== undefined && values[key] !== value) throw new UsageError(`${name} given twice`);
      values[key] = value;
    }
  }

  if (help) return { force: '', lads: [], skipImport, help };

  if (!values.force) {
    throw new UsageError('--force is required: the police.uk force id, e.g. --force nottinghamshire');
  }
  const force = values.force.toLowerCase();
  if (!FORCE.test(force)) {
    throw new UsageError(`--force '${values.force}' is not a police.uk force id (lower-case words joined by '-', e.g. west-yorkshire)`);
  }

  if (lads.length === 0) throw new UsageError('--lad is required: one or more district codes, e.g. --lad E07000174,E07000170');
  const ladCodes = [...new Set(lads.map((l) => l.toUpperCase()))];
  const bad = ladCodes.filter((l) => !LAD.test(l));
  if (bad.length) {
    throw new UsageError(
      `--lad: ${bad.map((b) => `'${b}'`).join(', ')} ${bad.length === 1 ? 'is not a' : 'are not'} local authority district ` +
        'code(s): E06/E07/E08/E09/W06 followed by 6 digits, e.g. E07000174',
    );
  }

  for (const flag of ['from', 'to'] as const) {
    const v = values[flag];
    if (v !== undefined && !MONTH.test(v)) throw new UsageError(`--${flag} '${v}' is not a month: use YYYY-MM, e.g. 2024-01`);
  }
  if (values.from && values.to && values.from > values.to) {
    throw new UsageError(`--from ${values.from} is after --to ${values.to}`);
  }

  if (values.dataset !== undefined && !/^[a-z0-9][a-z0-9-]{0,63}$/.test(values.dataset)) {
    throw new UsageError(`--dataset '${values.dataset}' must be lower-case letters, digits and hyphens (at most 64)`);
  }

  for (const flag of ['policeApi', 'onsApi', 'endpoint'] as const) {
    const v = values[flag];
    if (v !== undefined && !/^https?:\/\/[^\s]+$/.test(v)) {
      throw new UsageError(`--${flag.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} '${v}' is not an http(s) URL`);
    }
  }

  return {
    force,
    lads: ladCodes,
    ...(values.from && { from: values.from }),
    ...(values.to && { to: values.to }),
    ...(values.out && { out: values.out }),
    ...(values.dataset && { dataset: values.dataset }),
    ...(values.policeApi && { policeApi: values.policeApi }),
    ...(values.onsApi && { onsApi: values.onsApi }),
    ...(values.dataDir && { dataDir: values.dataDir }),
    ...(values.endpoint && { endpoint: values.endpoint }),
    ...(values.table && { table: values.table }),
    skipImport,
    help,
  };
}
