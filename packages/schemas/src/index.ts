export * from './crime-categories';
export * from './geometry';
export * from './entities';
export * from './reference';
export * from './api';
export * from './roles';
