export { boundaryLines, type BoundaryMember, type BoundaryLineOptions, type BoundaryLines } from './boundary-lines';
export { poleOfInaccessibility, type Pole } from './pole-of-inaccessibility';
export { labelPoint, createLocalPlane, meanLatitude, type LabelPoint, type LocalPlane } from './label-points';
export { townsOfWards } from './place-names';
export { buildContextLayer, type ContextLsoa, type ContextLayerOptions } from './context-layer';
