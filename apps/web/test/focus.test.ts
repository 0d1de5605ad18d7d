import { describe, expect, it } from 'vitest';
import { focusIsLost, pickFocusTarget, remember } from '../src/app/focus';

const el = (name: string, isConnected = true) => ({ name, isConnected });

describe('where focus goes when its element disappears', () => {
  const always = () => true;

  it('returns to the most recent element still in the page: the control that opened the closed panel', () => {
    const opener = el('Bid button');
    const heading = el('panel heading', false);
    const close = el('panel close', false);
    expect(pickFocusTarget([el('layer box'), opener, heading, close], [el('map')], always)).toBe(opener);
  });

  it('falls back to the map, then the controls, when nothing focused before is left (a new page after sign-in)', () => {
    const map = el('map');
    const controls = el('controls');
    expect(pickFocusTarget([el('Sign in', false)], [map, controls], always)).toBe(map);
    expect(pickFocusTarget([el('Sign in', false)], [null, controls], always)).toBe(controls);
    expect(pickFocusTarget([], [undefined, el('gone', false)], always)).toBeNull();
  });

  it('skips elements that cannot take focus now (hidden, disabled)', () => {
    const hidden = el('hidden tab');
    const opener = el('opener');
    expect(pickFocusTarget([opener, hidden], [], (e) => e !== hidden)).toBe(opener);
  });

  it('keeps a short history, newest last, without repeats', () => {
    const a = el('a');
    const b = el('b');
    expect(remember(remember(remember([], a), b), a)).toEqual([b, a]);
    let h: ReturnType<typeof el>[] = [];
    const all = Array.from({ length: 40 }, (_, i) => el(String(i)));
    for (const x of all) h = remember(h, x, 30);
    expect(h).toHaveLength(30);
    expect(h[0]).toBe(all[10]);
    expect(h.at(-1)).toBe(all[39]);
  });

  it('calls focus lost when nothing or the body holds it', () => {
    const body = {};
    const root = {};
    const doc = (active: unknown) => ({ activeElement: active, body, documentElement: root }) as unknown as Document;
    expect(focusIsLost(doc(null))).toBe(true);
    expect(focusIsLost(doc(body))).toBe(true);
    expect(focusIsLost(doc(root))).toBe(true);
    expect(focusIsLost(doc({ tagName: 'BUTTON' }))).toBe(false);
  });
});
