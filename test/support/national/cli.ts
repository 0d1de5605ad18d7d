import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULTS, generateNational } from './generate';
import { SHARED_DATA } from '../../integration/shared-data';

const USAGE = `Usage: npm run generate:national -- [--out DIR] [--months 12] [--start 2024-01] [--crimes-per-year 6000000]
                                  [--fraction 0.1] [--forces 7,12|synthetic-force-07] [--seed 2026] [--data DIR]

Writes a SYNTHETIC national crime data set in police.uk's street-level CSV format: DIR/YYYY-MM/YYYY-MM-<force>-street.csv,
DIR/reference/ (district → CSP → force and LSOA → district lookups for the importer) and DIR/meta/ (manifest.json
with the forces and their districts, lsoa-counts.csv with the crimes written per LSOA and month, districts.txt).
The same seed and options give byte-identical files. Import all of it into one dataset with:
  npm run import -- --dataset national --districts "$(cat DIR/meta/districts.txt)" \
    <data>/england/lsoa21-boundaries-england-simplified.geojson <data>/iod2025-england-lsoa21.csv DIR/reference DIR/2024-01 …`;

function number(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isFinite(n)) throw new Error(`--${name} "${text}" is not a number`);
  return n;
}

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      out: { type: 'string', default: '.data/national' },
      months: { type: 'string' },
      start: { type: 'string' },
      'crimes-per-year': { type: 'string' },
      fraction: { type: 'string' },
      forces: { type: 'string' },
      seed: { type: 'string' },
      data: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  // npm runs workspace-root scripts in the root; INIT_CWD is where the command was typed.
  const out = resolve(process.env.INIT_CWD ?? process.cwd(), values.out);
  const t0 = performance.now();
  let last = 0;
  const result = await generateNational({
    out,
    dataDir: values.data ? resolve(values.data) : SHARED_DATA,
    seed: values.seed ?? DEFAULTS.seed,
    months: number('months', values.months),
    startMonth: values.start,
    crimesPerYear: number('crimes-per-year', values['crimes-per-year']),
    fraction: number('fraction', values.fraction),
    forces: values.forces?.split(',').filter(Boolean),
    onProgress: (done, total, file) => {
      if (performance.now() - last > 2000 || done === total) {
        last = performance.now();
        console.log(`${done}/${total} files (${file})`);
      }
    },
  });
  const s = (performance.now() - t0) / 1000;
  const c = result.concentration;
  console.log(
    [
      `${result.rows.toLocaleString('en-GB')} SYNTHETIC crimes in ${result.files.length} files (${result.months[0]}…${result.months.at(-1)}, ${result.written.length} of ${result.forces.length} forces) in ${s.toFixed(1)} s → ${out}`,
      `  no location ${result.noLocation.toLocaleString('en-GB')}, outside every England LSOA ${result.outsideEngland.toLocaleString('en-GB')}`,
      `  concentration: top 1 % of LSOAs ${(c.top1PctLsoas * 100).toFixed(1)} % of crime, top 5 % ${(c.top5PctLsoas * 100).toFixed(1)} %, top 10 % ${(c.top10PctLsoas * 100).toFixed(1)} %; top 5 % of ${c.snapPoints.toLocaleString('en-GB')} snap points ${(c.top5PctSnapPoints * 100).toFixed(1)} %`,
      `  manifest ${result.manifestPath}`,
    ].join('\n'),
  );
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e instanceof Error ? e.message : String(e));
    console.error(USAGE);
    process.exit(2);
  },
);
