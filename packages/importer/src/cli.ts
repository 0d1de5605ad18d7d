import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ImportInputError } from './errors';
import { DEFAULT_DATASET_ID, importFiles } from './import';
import { progressPrinter } from './progress-bar';
import { formatReport } from './report';
import type { StudyAreaRequest } from './study-area';
import { openStore } from './store-connection';

const USAGE = `Usage: npm run import -- [options] <files or folders...>

Imports ONS LSOA 2021 boundaries, IoD 2025 / IMD 2019, population, ONS lookups and police.uk street-level crime CSVs,
and optionally an ONS postcode directory (ONSPD or NSPL CSV) whose live postcodes in the study area the search finds.

Every dataset has a study area, and keeps only its LSOAs: boundary, deprivation and population files larger than it
(e.g. all of England) are clipped to it, and crimes are placed in its LSOAs only (a crime outside it is kept, unplaced,
and counted as outside the study area). By default it is the districts of the police force area the crimes "Fall
within", from the ONS LAD → CSP → PFA lookup (lad24-to-csp24-pfa24*.csv); without that lookup, the districts holding
at least 1 % of the crimes; with no crimes, every LSOA given. A later import keeps the stored study area unless an
option below names another. The report accounts for every row: read = stored + duplicates + rejected, and
stored = placed + outside the study area + no location. A stored month is replaced only if the new data passes the
plausibility checks against it (otherwise nothing is written and the command exits 2; see --force-replace).

Options:
  --dataset <id>        dataset to import into (default "${DEFAULT_DATASET_ID}")
  --name <text>         the dataset's display name
  --districts <codes>   study area: these districts (LAD codes, comma-separated, e.g. E07000174,E07000170)
  --csp <code>          study area: the districts of this Community Safety Partnership (ONS CSP code or name)
  --force <code|name>   study area: the districts of this police force area (ONS PFA code or name, e.g. E23000019)
  --force-replace       replace stored months even when the new data fails the plausibility checks (far fewer
                        crimes, far fewer placed, other category shares, coordinates outside the UK)
  --data-dir <dir>      local data folder (default: .data, as npm start uses)
  --target aws          the deployed table in AWS (with --table and the usual AWS credentials)
  --endpoint <url>      a DynamoDB endpoint instead of the local store
  --table <name>        table name (default safer-places)
  --json                print the report as JSON`;

/** Runs the import command; returns the exit code (0 done, 2 bad input and nothing written, 1 failure). */
export async function main(argv: string[], out: NodeJS.WriteStream = process.stdout, err: NodeJS.WriteStream = process.stderr): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        dataset: { type: 'string' },
        name: { type: 'string' },
        districts: { type: 'string' },
        csp: { type: 'string' },
        force: { type: 'string' },
        'force-replace': { type: 'boolean' },
        'data-dir': { type: 'string' },
        endpoint: { type: 'string' },
        target: { type: 'string' },
        table: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    err.write(`${(e as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  if (args.values.help || args.positionals.length === 0) {
    (args.values.help ? out : err).write(`${USAGE}\n`);
    return args.values.help ? 0 : 2;
  }
  const named = { districts: args.values.districts?.split(','), csp: args.values.csp, force: args.values.force };
  const studyArea = Object.values(named).some((v) => v !== undefined)
    ? Object.fromEntries(Object.entries(named).filter(([, v]) => v !== undefined)) as StudyAreaRequest
    : null;
  // npm runs workspace scripts in the workspace folder; paths are meant from where the user typed the command.
  const here = process.env.INIT_CWD ?? process.cwd();
  const target = args.values.target ?? 'local';
  if (target !== 'local' && target !== 'aws') {
    err.write(`--target must be "local" or "aws"; got "${target}"\n`);
    return 2;
  }
  let store;
  try {
    store = await openStore({
      target,
      ...(args.values['data-dir'] && { dataDir: resolve(here, args.values['data-dir']) }),
      ...(args.values.endpoint && { endpoint: args.values.endpoint }),
      ...(args.values.table && { tableName: args.values.table }),
    });
  } catch (e) {
    if (!(e instanceof ImportInputError)) throw e;
    err.write(`${e.message}\n`);
    return 2;
  }
  try {
    err.write(`Importing into ${store.description}\n`);
    const report = await importFiles(args.positionals.map((p) => resolve(here, p)), {
      reference: store.reference,
      postcodes: store.postcodes,
      ...(args.values.dataset && { datasetId: args.values.dataset }),
      ...(args.values.name && { datasetName: args.values.name }),
      ...(studyArea && { studyArea }),
      ...(args.values['force-replace'] && { forceReplace: true }),
      onProgress: progressPrinter(err),
    });
    out.write(`${args.values.json ? JSON.stringify(report, null, 2) : formatReport(report)}\n`);
    return 0;
  } catch (e) {
    if (e instanceof ImportInputError) {
      err.write(`\n${e.message}\n`);
      return 2;
    }
    err.write(`\nimport failed: ${(e as Error).stack ?? e}\n`);
    return 1;
  } finally {
    await store.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exitCode = await main(process.argv.slice(2));
}
