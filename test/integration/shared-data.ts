import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The real Nottinghamshire data beside the repository (never committed); SHARED_DATA_DIR overrides. */
export const SHARED_DATA = resolve(process.env.SHARED_DATA_DIR ?? join(dirname(fileURLToPath(import.meta.url)), '../../../shared/data'));
export const sharedDataAvailable = existsSync(join(SHARED_DATA, 'READY')) || existsSync(join(SHARED_DATA, 'police-uk'));

/** Under CI the real data must be there: a missing folder is a failure, never a silent skip. */
export const mustHaveSharedData = process.env.CI === 'true';
