/**
 * The web app's pure, framework-free parts (style builders, classification, formatting), for reuse in tests and
 * tools. The app itself starts from src/main.tsx.
 */
export * from './map/layers';
export { offlineStyle, resolveBaseStyle, type BaseStyle } from './map/style';
export { allMapImages, rasterizeIcon, rasterizeHatch } from './map/icons';
export * from './map/palette';
export { quantileBreaks, classIndex, type Classification, type ClassRange } from './lib/breaks';
export { buildChoropleth, choroplethTitle, type Choropleth } from './lib/choropleth';
export * from './lib/period';
export * from './lib/format';
export * from './lib/drawing';
export * from './lib/chart';
export * from './lib/strategic';
export * from './lib/download';
export * from './lib/areaQuery';
