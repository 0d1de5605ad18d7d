/*
 * The bid writer's contract (issue #5): eligible LSOAs, a target area and a one-click evidence pack, and the evaluation
 * of a funded area. The single source of truth for the API (apps/api/src/routes/bids.ts) and the web UI.
 */
export * from './categories';
export * from './eligibility';
export * from './presets';
export * from './selection';
export * from './drafts';
export * from './evaluation';
