/** findSelfIntersection shares its engine with findAreaProblem; it is defined beside it. */
export { findSelfIntersection } from './area-validity';
