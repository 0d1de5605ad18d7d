export * from './config';
export * from './extract';
export * from './pmtiles-writer';
export * from './read';
export * from './serve';
