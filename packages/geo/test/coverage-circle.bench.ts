import { bench, describe } from 'vitest';
import { circle } from '@turf/turf';
import { coverageCircle } from '../src/index';

let sink = 0;

// A layer of 500 cameras is drawn per request. coverageCircle draws on the British National Grid (one inverse
// projection per vertex, so it costs more than turf.circle's sphere) so the circle is exactly the coverage model's.
describe('500 coverage circles of 64 steps', () => {
  bench('coverageCircle', () => {
    for (let i = 0; i < 500; i++) sink += coverageCircle([-1.15 + i * 1e-4, 52.95], 100).coordinates[0]!.length;
  });
  bench('turf.circle (baseline)', () => {
    for (let i = 0; i < 500; i++) sink += circle([-1.15 + i * 1e-4, 52.95], 100, { steps: 64, units: 'meters' }).geometry.coordinates[0]!.length;
  });
});

export { sink };
