#!/usr/bin/env node
// Prints a short fingerprint of the real open data folder the tests read (SHARED_DATA_DIR, else ../shared/data beside
// the repository): a digest of every file's relative path, size and modification time, or "absent".
// `npm test` puts it in SAFER_PLACES_DATA_FINGERPRINT, which turbo.json lists in the test task's env, so a changed,
// added or removed data file reruns the tests that read it instead of replaying a cached result. Contents are not
// read: a listing of the folder (about 60 files) takes milliseconds.
import { createHash } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = resolve(process.env.SHARED_DATA_DIR ?? join(repoRoot, '../shared/data'));

function fingerprint(dir) {
  let entries;
  try {
    entries = readdirSync(dir, { recursive: true, withFileTypes: true });
  } catch {
    return 'absent';
  }
  const lines = entries
    .filter((e) => e.isFile())
    .map((e) => {
      const file = join(e.parentPath, e.name);
      const { size, mtimeMs } = statSync(file);
      return `${relative(dir, file)}\t${size}\t${Math.trunc(mtimeMs)}`;
    })
    .sort();
  return createHash('sha256').update(lines.join('\n')).digest('hex').slice(0, 16);
}

process.stdout.write(`${fingerprint(dataDir)}\n`);
