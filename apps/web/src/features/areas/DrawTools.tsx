import { useId, useRef, useState } from 'react';
import { AREA_THEME_LABELS, type AreaGeometry } from '@safer-places/schemas';
import { DRAW_TOOLS, type AreaShape } from './drawing';
import { CoordinateEntry } from './CoordinateEntry';

/** Small outline icons for the tool buttons (decorative: every button has its name in text). */
function ToolIcon({ shape }: { shape: AreaShape }) {
  const common = { fill: 'none', stroke: 'currentColor', strokeWidth: 1.8, strokeLinejoin: 'round' as const };
  return (
    <svg className="tool-icon" viewBox="0 0 20 20" width="20" height="20" aria-hidden="true" focusable="false">
      {shape === 'polygon' && <polygon points="3,15 6,4 15,3 17,12 9,17" {...common} />}
      {shape === 'rectangle' && <rect x="3" y="5" width="14" height="10" {...common} />}
      {shape === 'circle' && <circle cx="10" cy="10" r="7" {...common} />}
      {shape === 'freehand' && <path d="M4 12c0-5 4-8 8-7s5 5 3 8-6 4-8 3-3-2-3-4z" {...common} />}
    </svg>
  );
}

/**
 * The drawing toolbar: one real button per shape, pressed while drawing, and "Type or paste coordinates", the keyboard
 * way to draw (CoordinateEntry). Only rendered for roles that may save areas. Escape (handled by the app) cancels
 * drawing; while a polygon is drawn, Backspace or Ctrl+Z takes back the last corner (see map/areaDrawing).
 */
export function DrawTools(props: {
  active: AreaShape | null;
  onTool(shape: AreaShape | null): void;
  disabled: boolean;
  /** A typed or pasted shape: becomes the unsaved drawing, as a finished mouse drawing does. */
  onCoordinates?(geometry: AreaGeometry): void;
}) {
  const id = useId();
  const active = DRAW_TOOLS.find((t) => t.shape === props.active) ?? null;
  const [typing, setTyping] = useState(false);
  const toggleRef = useRef<HTMLButtonElement>(null);
  const onCoordinates = props.onCoordinates;
  return (
    <fieldset className="control-group" data-testid="draw-tools" aria-describedby={`${id}-hint`}>
      <legend>Draw an area</legend>
      <div className="tool-grid">
        {DRAW_TOOLS.map((t) => (
          <button
            key={t.shape}
            type="button"
            className="button tool-button"
            aria-pressed={props.active === t.shape}
            disabled={props.disabled}
            onClick={() => props.onTool(props.active === t.shape ? null : t.shape)}
          >
            <ToolIcon shape={t.shape} />
            <span>
              <span className="visually-hidden">Draw </span>
              {t.label}
            </span>
          </button>
        ))}
      </div>
      <p className="hint" id={`${id}-hint`} aria-live="polite">
        {active ? `${active.hint} Press Escape to cancel.` : 'Choose a shape, then draw it on the map to see the figures inside it.'}
      </p>
      {onCoordinates && (
        <>
          <button
            type="button"
            ref={toggleRef}
            className="button coordinate-toggle"
            aria-expanded={typing}
            disabled={props.disabled && !typing}
            onClick={() => {
              if (!typing) props.onTool(null);
              setTyping(!typing);
            }}
          >
            Type or paste coordinates
          </button>
          {typing && (
            <CoordinateEntry
              disabled={props.disabled}
              onShape={onCoordinates}
              onClose={() => {
                setTyping(false);
                toggleRef.current?.focus();
              }}
            />
          )}
        </>
      )}
    </fieldset>
  );
}

export interface SavedAreaItem {
  id: string;
  name: string;
  theme: string;
}

/** The organisation's saved areas as buttons: choosing one opens its panel and shows it on the map. */
export function SavedAreaList(props: { items: SavedAreaItem[]; selectedId: string | null; onSelect(id: string): void; loading: boolean }) {
  const id = useId();
  return (
    <section className="control-group" aria-labelledby={`${id}-h`} data-testid="saved-areas">
      <h2 className="control-group__title" id={`${id}-h`}>
        Drawn areas
      </h2>
      {props.loading ? (
        <p className="hint">Loading…</p>
      ) : props.items.length === 0 ? (
        <p className="hint">No areas saved yet.</p>
      ) : (
        <ul className="area-list">
          {props.items.map((a) => (
            <li key={a.id}>
              <button
                type="button"
                className={`area-list__item${props.selectedId === a.id ? ' is-selected' : ''}`}
                aria-current={props.selectedId === a.id ? 'true' : undefined}
                onClick={() => props.onSelect(a.id)}
              >
                <span className="area-list__name">{a.name}</span>
                <span className="area-list__theme">{AREA_THEME_LABELS[a.theme as keyof typeof AREA_THEME_LABELS] ?? a.theme}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
