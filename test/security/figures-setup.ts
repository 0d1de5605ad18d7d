import { existsSync, readFileSync, rmSync } from 'node:fs';
import { FIGURES_FILE, type Figure } from './figures';

export function setup() {
  rmSync(FIGURES_FILE, { force: true });
}

/** Prints every figure the suites recorded, grouped by section, after the last test file. */
export function teardown() {
  if (!existsSync(FIGURES_FILE)) return;
  const figures = readFileSync(FIGURES_FILE, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Figure);
  const sections = [...new Set(figures.map((f) => f.section))];
  const width = Math.max(...figures.map((f) => f.label.length));
  const out = ['', 'Security figures', '================'];
  for (const s of sections) {
    out.push('', s);
    const rows = figures.filter((x) => x.section === s);
    for (const f of rows) out.push(`  ${f.label.padEnd(width)}  ${f.value}`);
    // Corpora report "passed/total"; their sum is the headline figure.
    const counts = rows
      .filter((f) => f.label.endsWith('cases answered as expected'))
      .map((f) => /^(\d+)\/(\d+)$/.exec(f.value))
      .filter((m): m is RegExpExecArray => m !== null);
    if (counts.length > 1) {
      const passed = counts.reduce((n, m) => n + Number(m[1]), 0);
      const total = counts.reduce((n, m) => n + Number(m[2]), 0);
      out.push(`  ${'all cases answered as expected'.padEnd(width)}  ${passed}/${total}`);
    }
  }
  console.log(out.join('\n'));
}
