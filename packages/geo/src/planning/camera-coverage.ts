import type KDBush from 'kdbush';
import { kdTree } from '../spatial-index/kd-tree';

/**
 * Camera coverage model in planar metres (British National Grid): a camera sees every point within its radius, or,
 * with a field of view, within the circular sector centred on its bearing. Bearings are degrees clockwise from north;
 * on the grid that is grid north, within 1° of true north across England, far less than a camera's aim is known to.
 */
export interface CameraView {
  x: number;
  y: number;
  /** Coverage radius in metres. */
  radius: number;
  /** Direction the camera faces, degrees clockwise from north; with fieldOfView, limits coverage to a sector. */
  bearing?: number;
  /** Width of the view in degrees (0–360); 360 or absent means all round. */
  fieldOfView?: number;
}

const EPS = 1e-9;

/** Whether a point dx, dy metres east and north of a camera lies in its view (the edges included). */
export function inView(dx: number, dy: number, radius: number, bearing?: number, fieldOfView?: number): boolean {
  const d2 = dx * dx + dy * dy;
  if (d2 > radius * radius + EPS) return false;
  if (bearing === undefined || fieldOfView === undefined || fieldOfView >= 360) return true;
  if (d2 === 0) return true; // the camera's own position
  const towards = (Math.atan2(dx, dy) * 180) / Math.PI; // clockwise from north, -180..180
  let diff = Math.abs(((towards - bearing) % 360) + 360) % 360;
  if (diff > 180) diff = 360 - diff;
  return diff <= fieldOfView / 2 + EPS;
}

export function cameraSees(camera: CameraView, x: number, y: number): boolean {
  return inView(x - camera.x, y - camera.y, camera.radius, camera.bearing, camera.fieldOfView);
}

/** A KD-tree over the points, reusable across coverage calls on the same points. */
export function pointTree(xy: Float64Array): KDBush {
  return kdTree(xy);
}

/**
 * For every point, whether any camera sees it (1) or not (0). Each camera costs a range query for its radius and an
 * exact sector test, not a scan of all points. Pass `tree` (from pointTree on the same xy) to reuse an index.
 */
export function coveredPoints(xy: Float64Array, cameras: readonly CameraView[], options: { tree?: KDBush } = {}): Uint8Array {
  const n = xy.length >> 1;
  const covered = new Uint8Array(n);
  if (n === 0 || cameras.length === 0) return covered;
  const tree = options.tree ?? pointTree(xy);
  for (const cam of cameras) {
    if (!(cam.radius > 0)) continue;
    for (const i of tree.within(cam.x, cam.y, cam.radius + 1e-6)) {
      if (i >= n || covered[i]) continue;
      if (inView(xy[2 * i]! - cam.x, xy[2 * i + 1]! - cam.y, cam.radius, cam.bearing, cam.fieldOfView)) covered[i] = 1;
    }
  }
  return covered;
}

/** Indices of the points one camera sees, ascending. */
export function pointsInView(xy: Float64Array, camera: CameraView, tree: KDBush = pointTree(xy)): number[] {
  const n = xy.length >> 1;
  if (n === 0 || !(camera.radius > 0)) return [];
  return tree
    .within(camera.x, camera.y, camera.radius + 1e-6)
    .filter((i) => i < n && cameraSees(camera, xy[2 * i]!, xy[2 * i + 1]!))
    .sort((a, b) => a - b);
}
