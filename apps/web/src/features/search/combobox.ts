import { SEARCH_KIND_LABELS, SEARCH_MIN_CHARS, type SearchAnswer, type SearchResult } from '@safer-places/schemas';

/*
 * The search box's keyboard logic (the ARIA combobox pattern with a listbox popup), as pure functions so it is tested
 * without a browser: which option is active, when the list is open, and what Enter and Escape do.
 */

export interface ComboState {
  /** Whether the listbox is shown. */
  open: boolean;
  /** The active option (aria-activedescendant), -1 for none. */
  active: number;
}

export const CLOSED: ComboState = { open: false, active: -1 };

/** What a key asks the box to do besides moving the active option. */
export type ComboAction =
  | { kind: 'pick'; index: number }
  /** Enter before the results of the text typed have come: pick the first when they do. */
  | { kind: 'pick-when-ready' }
  | { kind: 'clear' }
  | null;

/**
 * The next state after a key, given how many results are listed (`count`), whether they answer the text now in the box
 * (`current`) and whether the box holds text. `handled` says the key was the box's (its default and any page-wide
 * meaning, e.g. Escape closing a panel, must not happen).
 */
export function comboKey(
  state: ComboState,
  key: string,
  opts: { count: number; current: boolean; hasText: boolean },
): { state: ComboState; action: ComboAction; handled: boolean } {
  const { count } = opts;
  switch (key) {
    case 'ArrowDown':
      if (count === 0) return { state, action: null, handled: true };
      return { state: { open: true, active: !state.open || state.active < 0 ? 0 : (state.active + 1) % count }, action: null, handled: true };
    case 'ArrowUp':
      if (count === 0) return { state, action: null, handled: true };
      return { state: { open: true, active: !state.open || state.active <= 0 ? count - 1 : state.active - 1 }, action: null, handled: true };
    case 'Enter':
      if (!opts.hasText) return { state, action: null, handled: false };
      if (!opts.current) return { state, action: { kind: 'pick-when-ready' }, handled: true };
      if (count === 0) return { state, action: null, handled: true };
      return { state: CLOSED, action: { kind: 'pick', index: state.open && state.active >= 0 ? state.active : 0 }, handled: true };
    case 'Escape':
      if (state.open) return { state: CLOSED, action: null, handled: true };
      if (opts.hasText) return { state: CLOSED, action: { kind: 'clear' }, handled: true };
      return { state, action: null, handled: false };
    default:
      return { state, action: null, handled: false };
  }
}

/** The option's id for aria-activedescendant and the listbox. */
export const optionId = (listId: string, index: number) => `${listId}-opt-${index}`;

/** What a screen reader hears when results arrive (a polite live region), and what the box shows under the list. */
export function resultsAnnouncement(text: string, answer: SearchAnswer | undefined, state: 'idle' | 'loading' | 'done' | 'error', error?: string): string {
  const t = text.trim();
  if (t.length < SEARCH_MIN_CHARS) return '';
  if (state === 'error') return `Search failed: ${error ?? 'the server did not answer'}`;
  if (state === 'loading' || !answer) return 'Searching…';
  const n = answer.results.length;
  if (n === 0) return `No places found for “${t}”.${answer.notes.length > 0 ? ` ${answer.notes[0]}` : ''}`;
  const more = answer.truncated ? ' (more match: type more to narrow)' : '';
  return `${n} ${n === 1 ? 'result' : 'results'} for “${t}”${more}. Up and down arrows to choose, Enter to show.`;
}

/** An option's accessible name, as its text reads (SearchBox renders these words): what it is, its name and where. */
export function optionLabel(r: SearchResult): string {
  return `${SEARCH_KIND_LABELS[r.kind]}: ${r.label}. ${r.detail}`;
}
