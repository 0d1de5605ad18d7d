export * from './eligibility';
export * from './comparison';
export * from './did';
export * from './presets';
export * from './report';
export * from './pack';
export * from './service';
