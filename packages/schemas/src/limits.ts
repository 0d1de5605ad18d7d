/**
 * What one request may cost. Every analysis checks its cost against these before doing the work and answers 413
 * (`limit_exceeded`) naming the limit and what would fit; docs/api.md ("Limits") lists each.
 */

/**
 * The most crimes one analysis may read (the county's 24 months are about 260,000; England's about 12 million). Sized
 * to the API function's memory: reading a crime holds ~220 bytes while it is decoded and ~150 once kept with its
 * projection and index, so 800,000 crimes (~300 MB at the peak) fit beside the caches in 1,024 MB.
 */
export const MAX_CRIMES_PER_ANALYSIS = 800_000;

/**
 * The most LSOAs whose bounding box may meet the box of a drawn area or map view an analysis clips against them (a
 * county-sized area meets about 700-1,500; a thin band across England meets tens of thousands, and clipping those
 * would take a minute). Checked before any clipping.
 */
export const MAX_AREA_LSOAS = 3_000;

/** The most crime partitions (months × districts) one analysis may read. */
export const MAX_PARTITION_READS_PER_ANALYSIS = 2_400;

/** The largest drawn area or map view an analysis runs on, in km² (Nottinghamshire is about 2,160 km²). */
export const MAX_ANALYSIS_AREA_KM2 = 10_000;

/**
 * The time one request may take on the server, in ms: below API Gateway's 30 s integration timeout (and the
 * function's own timeout), so a client always gets an answer from the product rather than a gateway error.
 */
export const REQUEST_TIME_BUDGET_MS = 20_000;

/** Answers larger than this are paged or tiled rather than sent whole (Lambda's response limit is 6 MB). */
export const MAX_ANSWER_BYTES = 4_000_000;

/** Vector tiles of the LSOA layer: `GET /api/tiles/lsoas/{z}/{x}/{y}.mvt?dataset=<id>`, one source layer. */
export const LSOA_TILE_LAYER = 'lsoas';
/** The zoom range tiles are cut for; the map over-zooms the last one. */
export const LSOA_TILE_MIN_ZOOM = 0;
export const LSOA_TILE_MAX_ZOOM = 14;

/** The tile URL template of a dataset's LSOA layer, for the map's vector source ({z}/{x}/{y} are filled by the map). */
export function lsoaTileUrl(origin: string, datasetId: string): string {
  return `${origin}/api/tiles/lsoas/{z}/{x}/{y}.mvt?dataset=${encodeURIComponent(datasetId)}`;
}
