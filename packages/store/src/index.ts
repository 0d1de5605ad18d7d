export { createDocumentClient, type ClientOptions } from './client';
export { ensureTable } from './table';
export { DEFAULT_TABLE_NAME, TABLE_DEFINITION, createTableInput, type TableDefinition } from './table-definition';
export { DynamoAssetRepository } from './asset-repository';
export { DynamoReferenceRepository, MAX_LSOA_GEOMETRY_BYTES } from './reference-repository';
export { batchWrite } from './batch';
export { keys } from './keys';
export { CHUNK_SIZE, COUNTS_CHUNK, encodeCrimeMonth, decodeCrimeItems } from './crime-codec';
