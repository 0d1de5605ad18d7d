import { bench, describe } from 'vitest';
import { coveredPoints, pointTree, type CameraView } from '../../src/index';
import { loadRealCrimes, realDataAvailable } from '../hotspots-real-data';

// Which of the county's crimes 300 cameras see (radius 30–150 m, a third with a 90° field of view), placed on real
// crime locations. Baseline: every camera against every crime, no index.
const available = realDataAvailable();
let sink = 0;

if (!available) {
  describe('camera coverage over Nottinghamshire (needs shared data)', () => bench.skip('not run', () => {}));
} else {
  const crimes = loadRealCrimes();
  const cameras: CameraView[] = Array.from({ length: 300 }, (_, c) => {
    const i = Math.floor((c * crimes.n) / 300);
    return { x: crimes.xy[2 * i]!, y: crimes.xy[2 * i + 1]!, radius: [30, 75, 100, 150][c % 4]!, ...(c % 3 === 0 && { bearing: (c * 37) % 360, fieldOfView: 90 }) };
  });
  describe(`coverage of ${crimes.n.toLocaleString('en-GB')} crimes by 300 cameras`, () => {
    const tree = pointTree(crimes.xy);
    bench('coveredPoints with the KD-tree built once per dataset (as the planner caches it)', () => {
      sink += coveredPoints(crimes.xy, cameras, { tree })[0]!;
    });
    bench('coveredPoints, building the KD-tree too', () => {
      sink += coveredPoints(crimes.xy, cameras)[0]!;
    });
    bench(
      'baseline: every camera against every crime',
      () => {
        const covered = new Uint8Array(crimes.n);
        for (const cam of cameras) {
          for (let i = 0; i < crimes.n; i++) {
            const dx = crimes.xy[2 * i]! - cam.x, dy = crimes.xy[2 * i + 1]! - cam.y;
            if (dx * dx + dy * dy > cam.radius * cam.radius) continue;
            if (cam.bearing === undefined) covered[i] = 1;
            else {
              const diff = Math.abs((((Math.atan2(dx, dy) * 180) / Math.PI - cam.bearing) % 360 + 540) % 360 - 180);
              if (diff <= cam.fieldOfView! / 2) covered[i] = 1;
            }
          }
        }
        sink += covered[0]!;
      },
      { iterations: 3, time: 0 },
    );
  });
}

export { sink };
