import { describe, expect, it } from 'vitest';
import { bandwidthReason } from '../src/features/hotspots/HotspotPanel';
import type { HotspotAnswer } from '../src/features/hotspots/hotspots';

const density = (bandwidthReason: string) => ({ mode: 'density', result: { notes: [], bandwidthReason } }) as unknown as HotspotAnswer;

describe('the bandwidth and its reason in the hot spot panel', () => {
  it("shows the answer's own reason", () => {
    const why = 'Bandwidth 1,500 m, automatic: the spread of the crimes (normal reference rule) gives 3,513 m, held to at most 6 cells of 250 m so the map keeps the detail of its grid.';
    expect(bandwidthReason(density(why), 'auto')).toBe(why);
  });

  it('says what the choice means while there is no density answer', () => {
    expect(bandwidthReason(null, 400)).toBe('Bandwidth 400 m, as chosen.');
    expect(bandwidthReason(null, 2000)).toBe('Bandwidth 2.0 km, as chosen.');
    expect(bandwidthReason(null, 'auto')).toMatch(/between 2 and 6 cells and at least 200 m/);
    expect(bandwidthReason({ mode: 'gi', result: { notes: ['Bandwidth of something else'] } } as unknown as HotspotAnswer, 'auto')).toMatch(/^Automatic/);
  });
});
