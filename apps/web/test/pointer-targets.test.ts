import { describe, expect, it } from 'vitest';
import { CLICK_TARGETS, LAYER_IDS } from '../src/map/layers';
import { clickTargetsFor } from '../src/map/pointerHandlers';

describe('which layer a map click selects', () => {
  it('keeps the topmost-first order when no bid is prepared', () => {
    const order = clickTargetsFor(false).map((t) => t.layer);
    expect(order).toEqual(['help-points', 'cameras', 'areas', 'pspo-zones', 'safer-streets-areas', 'lsoas']);
    expect(clickTargetsFor(false)).toBe(CLICK_TARGETS);
  });

  it('tries the LSOA under a drawn area, PSPO zone or Safer Streets area first while the bid panel is open', () => {
    const order = clickTargetsFor(true).map((t) => t.layer);
    expect(order[0]).toBe('lsoas');
    expect(clickTargetsFor(true)[0]!.layerId).toBe(LAYER_IDS.lsoaFill);
    for (const above of ['areas', 'pspo-zones', 'safer-streets-areas'] as const) expect(order.indexOf('lsoas')).toBeLessThan(order.indexOf(above));
    // Nothing is lost: the same targets, the rest in their usual order.
    expect([...order].sort()).toEqual(CLICK_TARGETS.map((t) => t.layer).sort());
    expect(order.slice(1)).toEqual(['help-points', 'cameras', 'areas', 'pspo-zones', 'safer-streets-areas']);
  });
});
