export { importFiles, DEFAULT_DATASET_ID, type ImportOptions, type ImportProgress } from './import';
export { formatReport, type ImportReport } from './report';
export type { RowCounts } from './crime-import';
export { openStore, type OpenStore, type StoreOptions } from './store-connection';
export { detectFiles, type DetectedFile } from './detect';
export { ImportInputError } from './errors';
export { POLICE_COLUMNS } from './file-kinds';
export { main as importCli } from './cli';
