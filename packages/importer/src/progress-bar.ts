import type { ImportProgress } from './import';

const STAGE: Record<ImportProgress['stage'], string> = {
  detect: 'Reading file headers',
  reference: 'Boundaries, lookups, deprivation, population',
  crimes: 'Reading police.uk rows',
  'study-area': 'Choosing the study area, placing crimes',
  write: 'Writing months',
  done: 'Done',
};

/** One updating line on a terminal; plain lines, at most one per file, when output goes to a log. */
export function progressPrinter(stream: NodeJS.WriteStream = process.stderr) {
  let lastLine = '';
  return (p: ImportProgress) => {
    const width = 24;
    const share = p.filesTotal > 0 ? p.filesDone / p.filesTotal : 1;
    const bar = '#'.repeat(Math.round(share * width)).padEnd(width, '-');
    const what = p.file ? ` ${p.file.split('/').pop()}` : '';
    const rows = p.rows !== undefined ? ` (${p.rows.toLocaleString('en-GB')} rows)` : '';
    const line = `[${bar}] ${STAGE[p.stage]} ${p.filesDone}/${p.filesTotal}${what}${rows}`;
    if (stream.isTTY) {
      stream.write(`\r${line.padEnd(lastLine.length)}`);
      if (p.stage === 'done') stream.write('\n');
    } else if (!lastLine.startsWith(line.slice(0, line.indexOf('(') > 0 ? line.indexOf('(') : line.length))) {
      stream.write(`${line}\n`);
    }
    lastLine = line;
  };
}
