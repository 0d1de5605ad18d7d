import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/** The schemas modules, and the modules of this package each imports. */
function importGraph(root: string): Map<string, string[]> {
  const files = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const text = readFileSync(join(root, file), 'utf8');
    const targets = [...text.matchAll(/from '(\.[^']*)'/g)].map((m) => {
      const target = relative(root, resolve(root, dirname(file), m[1]!));
      return files.includes(`${target}.ts`) ? `${target}.ts` : `${target}/index.ts`;
    });
    graph.set(file, targets);
  }
  return graph;
}

describe('the schemas package', () => {
  it('has no import cycle between its modules (each topic reads only the topics below it)', () => {
    const graph = importGraph(join(dirname(fileURLToPath(import.meta.url)), '../src'));
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (file: string, path: string[]) => {
      state.set(file, 'open');
      for (const next of graph.get(file) ?? []) {
        if (state.get(next) === 'open') cycles.push([...path, file, next].slice(path.indexOf(next) >= 0 ? path.indexOf(next) : path.length).join(' → '));
        else if (!state.has(next)) visit(next, [...path, file]);
      }
      state.set(file, 'done');
    };
    for (const file of graph.keys()) if (!state.has(file)) visit(file, []);
    expect(graph.size).toBeGreaterThan(10);
    expect(cycles).toEqual([]);
  });
});
