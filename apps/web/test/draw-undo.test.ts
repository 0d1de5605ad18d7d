import { describe, expect, it } from 'vitest';
import { DRAW_TOOLS, REDO_KEYS, UNDO_KEYS, isTextEntryTarget, matchesShortcut } from '../src/features/areas/drawing';
import { undoKeyHandler } from '../src/map/areaDrawing';

const press = (key: string, mods: Partial<{ ctrlKey: boolean; metaKey: boolean; shiftKey: boolean; altKey: boolean }> = {}, target: unknown = { tagName: 'CANVAS' }) => {
  let prevented = false;
  const e = {
    key,
    ctrlKey: false,
    metaKey: false,
    shiftKey: false,
    altKey: false,
    ...mods,
    target,
    get defaultPrevented() {
      return prevented;
    },
    preventDefault() {
      prevented = true;
    },
  };
  return e;
};

describe('undo and redo keys while drawing', () => {
  // [key, modifiers, undo?, redo?]
  const cases: [string, Partial<{ ctrlKey: boolean; metaKey: boolean; shiftKey: boolean; altKey: boolean }>, boolean, boolean][] = [
    ['Backspace', {}, true, false],
    ['z', { ctrlKey: true }, true, false],
    ['z', { metaKey: true }, true, false],
    ['Z', { ctrlKey: true, shiftKey: true }, false, true],
    ['Z', { metaKey: true, shiftKey: true }, false, true],
    ['y', { ctrlKey: true }, false, true],
    ['z', {}, false, false],
    ['Backspace', { ctrlKey: true }, false, false],
    ['z', { ctrlKey: true, altKey: true }, false, false],
    ['Delete', {}, false, false],
    ['Enter', {}, false, false],
  ];
  it.each(cases)('%s %o: undo %s, redo %s', (key, mods, undo, redo) => {
    const e = press(key, mods);
    expect(matchesShortcut(e, UNDO_KEYS)).toBe(undo);
    expect(matchesShortcut(e, REDO_KEYS)).toBe(redo);
  });

  it('leaves key presses in text fields to the field', () => {
    expect(isTextEntryTarget({ tagName: 'TEXTAREA' })).toBe(true);
    expect(isTextEntryTarget({ tagName: 'INPUT', type: 'text' })).toBe(true);
    expect(isTextEntryTarget({ tagName: 'INPUT' })).toBe(true);
    expect(isTextEntryTarget({ tagName: 'input', type: 'search' })).toBe(true);
    expect(isTextEntryTarget({ tagName: 'SELECT' })).toBe(true);
    expect(isTextEntryTarget({ tagName: 'DIV', isContentEditable: true })).toBe(true);
    expect(isTextEntryTarget({ tagName: 'INPUT', type: 'checkbox' })).toBe(false);
    expect(isTextEntryTarget({ tagName: 'BUTTON' })).toBe(false);
    expect(isTextEntryTarget({ tagName: 'CANVAS' })).toBe(false);
    expect(isTextEntryTarget(null)).toBe(false);
  });

  it('says so in the polygon tool hint', () => {
    expect(DRAW_TOOLS.find((t) => t.shape === 'polygon')!.hint).toMatch(/Backspace or Ctrl\+Z takes back the last corner/);
  });
});

describe('undoKeyHandler (keys pressed outside the map while drawing)', () => {
  /** A stand-in for terra-draw's history: the corners placed so far and those taken back. */
  function fakeDraw(corners: number) {
    const state = { corners, undone: 0 };
    const draw = {
      canUndo: () => state.corners > 0,
      undo: () => {
        state.corners--;
        state.undone++;
        return true;
      },
      canRedo: () => state.undone > 0,
      redo: () => {
        state.corners++;
        state.undone--;
        return true;
      },
    };
    return { state, draw };
  }

  it('takes back the last corner and puts it again, and claims the key only when it did something', () => {
    const { state, draw } = fakeDraw(3);
    const onKey = undoKeyHandler(draw, () => true);
    const e1 = press('Backspace');
    onKey(e1 as unknown as KeyboardEvent);
    expect(state.corners).toBe(2);
    expect(e1.defaultPrevented).toBe(true);
    onKey(press('z', { ctrlKey: true }) as unknown as KeyboardEvent);
    onKey(press('z', { ctrlKey: true }) as unknown as KeyboardEvent);
    expect(state.corners).toBe(0);
    const none = press('Backspace');
    onKey(none as unknown as KeyboardEvent);
    expect(state.corners).toBe(0);
    expect(none.defaultPrevented).toBe(false);
    onKey(press('y', { ctrlKey: true }) as unknown as KeyboardEvent);
    expect(state.corners).toBe(1);
  });

  it('does nothing when not drawing, in a text field, or when the map already handled the key', () => {
    const { state, draw } = fakeDraw(3);
    undoKeyHandler(draw, () => false)(press('Backspace') as unknown as KeyboardEvent);
    undoKeyHandler(draw, () => true)(press('Backspace', {}, { tagName: 'TEXTAREA' }) as unknown as KeyboardEvent);
    const handled = press('Backspace');
    handled.preventDefault();
    undoKeyHandler(draw, () => true)(handled as unknown as KeyboardEvent);
    expect(state.corners).toBe(3);
  });
});
