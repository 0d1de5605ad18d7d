import proj4 from 'proj4';

/**
 * British National Grid (EPSG:27700): Airy 1830 transverse Mercator with the OS 7-parameter Helmert shift from WGS84.
 * The Helmert shift is good to a few metres in England (OSTN15 would give centimetres, but needs a 15 MB grid); that is
 * far below the ~10–100 m displacement police.uk already applies to crime locations.
 */
export const BNG_PROJ4 =
  '+proj=tmerc +lat_0=49 +lon_0=-2 +k=0.9996012717 +x_0=400000 +y_0=-100000 +ellps=airy ' +
  '+towgs84=446.448,-125.157,542.06,0.15,0.247,0.842,-20.489 +units=m +no_defs +type=crs';

proj4.defs('EPSG:27700', BNG_PROJ4);
const converter = proj4('EPSG:4326', 'EPSG:27700');

/**
 * Projects interleaved lon/lat pairs (WGS84 degrees) to BNG easting/northing in metres. Pairs with a non-finite value
 * come out as NaN, NaN so one bad row does not abort a batch.
 */
export function toBng(lonLat: Float64Array, out: Float64Array = new Float64Array(lonLat.length)): Float64Array {
  return convert(lonLat, out, true);
}

/** Inverse of {@link toBng}: interleaved BNG metres to interleaved lon/lat (WGS84 degrees). */
export function fromBng(xy: Float64Array, out: Float64Array = new Float64Array(xy.length)): Float64Array {
  return convert(xy, out, false);
}

export function lonLatToBng(lon: number, lat: number): [number, number] {
  if (!Number.isFinite(lon) || !Number.isFinite(lat)) return [NaN, NaN];
  const p = converter.forward([lon, lat]);
  return [p[0]!, p[1]!];
}

export function bngToLonLat(x: number, y: number): [number, number] {
  if (!Number.isFinite(x) || !Number.isFinite(y)) return [NaN, NaN];
  const p = converter.inverse([x, y]);
  return [p[0]!, p[1]!];
}

function convert(src: Float64Array, out: Float64Array, forward: boolean): Float64Array {
  if (src.length % 2 !== 0) throw new RangeError(`expected interleaved pairs, got ${src.length} numbers`);
  if (out.length < src.length) throw new RangeError(`output holds ${out.length} numbers, need ${src.length}`);
  // proj4 accepts and returns {x, y}; reusing one object avoids a million short-lived arrays.
  const p = { x: 0, y: 0 };
  const f = forward ? converter.forward : converter.inverse;
  for (let i = 0; i < src.length; i += 2) {
    const a = src[i]!;
    const b = src[i + 1]!;
    if (!Number.isFinite(a) || !Number.isFinite(b)) {
      out[i] = NaN;
      out[i + 1] = NaN;
      continue;
    }
    p.x = a;
    p.y = b;
    const r = f(p);
    out[i] = r.x;
    out[i + 1] = r.y;
  }
  return out;
}
