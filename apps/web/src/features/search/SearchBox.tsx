import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { SEARCH_KIND_LABELS, SEARCH_MIN_CHARS, type SearchResult } from '@safer-places/schemas';
import type { WorkspaceState } from '../../app/useWorkspace';
import { CLOSED, comboKey, optionId, resultsAnnouncement, type ComboState } from './combobox';
import { outlineFilter } from './highlight';
import { lsoaPanelProperties, pickPlan } from './pick';
import { useSearch } from './useSearch';
import { useSearchHighlight } from './useSearchHighlight';
import { isTypingTarget } from './shortcut';
import './search.css';

/**
 * The header's search box (the ARIA combobox pattern): type an LSOA code or name, a ward, district, town, police.uk
 * location in view or a postcode; arrows choose, Enter shows the place (the first result when none is chosen), Escape
 * closes the list, then clears the box. "/" anywhere else focuses it.
 */
export function SearchBox({ ws }: { ws: WorkspaceState }) {
  const id = useId();
  const listId = `${id}-list`;
  const inputRef = useRef<HTMLInputElement>(null);
  const search = ws.api.search;
  const getView = useCallback(() => ws.mapHandle.current?.getBounds() ?? null, [ws.mapHandle]);
  const s = useSearch({ search, datasetId: ws.datasetId, getView });
  const highlight = useSearchHighlight(useCallback(() => ws.mapHandle.current?.getMap() ?? null, [ws.mapHandle]));
  const [combo, setCombo] = useState<ComboState>(CLOSED);
  const [pendingPick, setPendingPick] = useState(false);
  // Only the answer to the text in the box is listed: arrows and Enter never act on the results of an older text.
  const results = s.current ? (s.answer?.results ?? []) : [];

  const pick = (r: SearchResult) => {
    const plan = pickPlan(r);
    if (plan.lsoa) {
      ws.map.rememberLsoa(lsoaPanelProperties(plan.lsoa));
      ws.setSelection({ layer: 'lsoas', id: plan.lsoa.code });
    } else if (ws.selection?.layer === 'lsoas') {
      // Another LSOA's details would no longer match the place shown.
      ws.setSelection(null);
    }
    // Fitted once the side column has settled (a details panel opened or closed changes the map's width).
    ws.setPendingFit(plan.bbox);
    highlight.show({ outline: plan.outline ? outlineFilter(r) : null, marker: plan.marker });
    ws.announce(plan.message);
    setCombo(CLOSED);
  };

  // New results for the text in the box open the list (while the box has focus); a pending Enter takes the first.
  const answer = s.answer;
  useEffect(() => {
    if (!answer || !s.current) return;
    if (pendingPick) {
      setPendingPick(false);
      if (answer.results[0]) pick(answer.results[0]);
      return;
    }
    if (document.activeElement === inputRef.current) setCombo({ open: answer.results.length > 0, active: -1 });
    // Only a new answer (or the pending Enter) moves the list; pick is the current render's.
  }, [answer, s.current, pendingPick]);

  // "/" focuses the box from anywhere but a text field (the usual web-map shortcut).
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== '/' || e.ctrlKey || e.metaKey || e.altKey || isTypingTarget(e.target)) return;
      e.preventDefault();
      inputRef.current?.focus();
      inputRef.current?.select();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const onKeyDown = (e: React.KeyboardEvent<HTMLInputElement>) => {
    const next = comboKey(combo, e.key, { count: results.length, current: s.current, hasText: s.text.trim() !== '' });
    if (!next.handled) return;
    e.preventDefault();
    // The box's own Escape must not also close a panel or clear the map's selection (the workspace listens on window).
    e.stopPropagation();
    setCombo(next.state);
    const action = next.action;
    if (action?.kind === 'pick') pick(results[action.index]!);
    else if (action?.kind === 'pick-when-ready' && s.text.trim().length >= SEARCH_MIN_CHARS) setPendingPick(true);
    else if (action?.kind === 'clear') {
      s.setText('');
      setPendingPick(false);
      highlight.clear();
    }
  };

  const open = combo.open && results.length > 0;
  const announcement = resultsAnnouncement(s.text, s.current ? s.answer : undefined, s.current ? 'done' : s.state === 'error' ? 'error' : s.state === 'idle' ? 'idle' : 'loading', s.error);
  return (
    <form className="search" role="search" aria-label="Find a place" onSubmit={(e) => e.preventDefault()}>
      <label htmlFor={`${id}-input`} className="search__label">
        Find a place <kbd className="search__key" aria-hidden="true">/</kbd>
      </label>
      <input
        ref={inputRef}
        id={`${id}-input`}
        className="search__input"
        type="search"
        role="combobox"
        autoComplete="off"
        spellCheck={false}
        placeholder="LSOA, ward, town, street, postcode"
        aria-expanded={open}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-describedby={`${id}-status`}
        aria-activedescendant={open && combo.active >= 0 ? optionId(listId, combo.active) : undefined}
        value={s.text}
        maxLength={100}
        onChange={(e) => {
          s.setText(e.currentTarget.value);
          setPendingPick(false);
          setCombo((c) => ({ open: c.open, active: -1 }));
        }}
        onKeyDown={onKeyDown}
        onFocus={() => s.current && setCombo({ open: results.length > 0, active: -1 })}
        onBlur={() => setCombo(CLOSED)}
        data-testid="search-input"
      />
      <div className="search__popup" hidden={!open}>
        <ul id={listId} role="listbox" aria-label="Places found" className="search__list" data-testid="search-results">
          {open &&
            results.map((r, i) => (
              <li
                key={`${r.kind}|${r.id}`}
                id={optionId(listId, i)}
                role="option"
                aria-selected={i === combo.active}
                className={`search__option${i === combo.active ? ' search__option--active' : ''}`}
                // Keeps the focus in the box, so the click below picks and the list closes as from the keyboard.
                onMouseDown={(e) => e.preventDefault()}
                onClick={() => pick(r)}
                data-testid="search-option"
              >
                {/* Its name is its text, in optionLabel's words: kind, name, where (the separators are for screen readers). */}
                <span className={`search__kind search__kind--${r.kind}`}>{SEARCH_KIND_LABELS[r.kind]}</span>
                <span className="visually-hidden">: </span>
                <span className="search__name">{r.label}</span>
                <span className="visually-hidden">. </span>
                <span className="search__detail">{r.detail}</span>
              </li>
            ))}
        </ul>
        {open && s.answer && (s.answer.truncated || s.answer.notes.length > 0) && (
          <p className="search__notes">
            {s.answer.truncated && <span>More places match: type more to narrow. </span>}
            {s.answer.notes.map((n) => (
              <span key={n}>{n} </span>
            ))}
          </p>
        )}
      </div>
      <p id={`${id}-status`} className="visually-hidden" aria-live="polite" data-testid="search-status">
        {announcement}
      </p>
    </form>
  );
}
