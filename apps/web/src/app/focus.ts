/*
 * Where keyboard focus goes when what held it disappears. Closing a panel (Escape, its × button), signing in or out
 * and switching role all remove the focused element from the page, and a browser then leaves focus on the page body:
 * a keyboard or screen-reader user is thrown back to the top of the page. The focus keeper puts focus back on the
 * control that was focused before (the one that opened the panel), or else on the map (after signing in, when the
 * whole page is new: the map, or the map controls while the map is still being created).
 */

/** What the choice needs to know of an element: is it still in the page, and can it take focus now. */
export interface FocusCandidate {
  readonly isConnected: boolean;
}

/**
 * The element to return focus to: the most recently focused element that is still in the page and usable, else the
 * first usable fallback, else null. `history` is oldest first.
 */
export function pickFocusTarget<T extends FocusCandidate>(history: readonly T[], fallbacks: readonly (T | null | undefined)[], usable: (el: T) => boolean): T | null {
  for (let i = history.length - 1; i >= 0; i--) {
    const el = history[i]!;
    if (el.isConnected && usable(el)) return el;
  }
  for (const el of fallbacks) if (el && el.isConnected && usable(el)) return el;
  return null;
}

/** Adds an element to the focus history (oldest first), moving it to the end if already there, keeping at most `max`. */
export function remember<T>(history: readonly T[], el: T, max = 30): T[] {
  const next = history.filter((h) => h !== el);
  next.push(el);
  return next.length > max ? next.slice(next.length - max) : next;
}

/** Whether focus has been lost: nothing focused, or the page body (or document element) holds it. */
export function focusIsLost(doc: Document): boolean {
  const a = doc.activeElement;
  return a === null || a === doc.body || a === doc.documentElement;
}

function isUsable(el: HTMLElement): boolean {
  if (el.closest('[hidden], [inert]')) return false;
  if ((el as HTMLButtonElement).disabled) return false;
  return el.getClientRects().length > 0;
}

/** The map canvas (MapLibre makes it focusable: arrows pan, +/− zoom), else the map controls column. */
export function mapFallbacks(doc: Document): (HTMLElement | null)[] {
  return [doc.querySelector<HTMLElement>('.maplibregl-canvas'), doc.getElementById('controls')];
}

/**
 * Watches focus for the page's lifetime: remembers what was focused and, when the focused element is removed and
 * focus falls to the body, moves it to the last focused element still shown (the control that opened the panel),
 * else the map. It acts a frame later and only if focus is still lost, so a panel that focuses its own heading when
 * it opens keeps that focus. Returns the function that stops it.
 */
export function installFocusKeeper(doc: Document = document): () => void {
  let history: HTMLElement[] = [];
  let pending = 0;
  const onFocusIn = (e: FocusEvent) => {
    if (e.target instanceof HTMLElement && e.target !== doc.body) history = remember(history, e.target);
  };
  const restore = () => {
    pending = 0;
    if (!focusIsLost(doc)) return;
    const last = history[history.length - 1];
    // Focus left on purpose (a click on plain text, another window) keeps its element in the page: leave it be.
    if (last && last.isConnected) return;
    pickFocusTarget(history, mapFallbacks(doc), isUsable)?.focus({ preventScroll: true });
  };
  const observer = new MutationObserver(() => {
    if (pending || !focusIsLost(doc)) return;
    pending = requestAnimationFrame(restore);
  });
  doc.addEventListener('focusin', onFocusIn);
  observer.observe(doc.body, { childList: true, subtree: true });
  return () => {
    doc.removeEventListener('focusin', onFocusIn);
    observer.disconnect();
    if (pending) cancelAnimationFrame(pending);
  };
}
