import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const FIGURES_FILE = join(dirname(fileURLToPath(import.meta.url)), '..', 'artifacts', 'security', 'figures.jsonl');

export interface Figure {
  /** The heading it is printed under, e.g. "Bad input". */
  section: string;
  label: string;
  value: string;
}

/** Records one measured figure; the run prints them all at the end, so the closing note can quote them. */
export function recordFigure(section: string, label: string, value: string | number): void {
  mkdirSync(dirname(FIGURES_FILE), { recursive: true });
  appendFileSync(FIGURES_FILE, `${JSON.stringify({ section, label, value: String(value) } satisfies Figure)}\n`);
}
