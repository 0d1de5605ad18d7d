import { useEffect, useId, useMemo, useRef, useState } from 'react';
import type { AreaGeometry } from '@safer-places/schemas';
import { FORMAT_LABELS, parseCoordinates } from './coordinates';
import './coordinates.css';

/** What the status line under the box says about the text as it stands. */
function statusText(text: string): string {
  if (text.trim() === '') return 'Nothing typed yet.';
  const r = parseCoordinates(text);
  if (r.ok) return `${r.corners} corner${r.corners === 1 ? '' : 's'}, read as ${FORMAT_LABELS[r.format]}.`;
  if (r.format === 'bng') return 'British National Grid figures: see below.';
  return `${r.corners} corner${r.corners === 1 ? '' : 's'} read so far.`;
}

/**
 * The keyboard way to draw: a labelled box for corners typed one per line or a pasted GeoJSON or WKT polygon. It says
 * how many corners it reads as you type; "Show on map" makes the same unsaved drawing a mouse drawing makes (the area
 * panel then opens with its figures, and the server's own checks, such as crossing edges, are reported there).
 */
export function CoordinateEntry(props: { onShape(geometry: AreaGeometry): void; onClose(): void; disabled: boolean }) {
  const id = useId();
  const [text, setText] = useState('');
  const [problems, setProblems] = useState<string[] | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const boxRef = useRef<HTMLTextAreaElement>(null);
  const status = useMemo(() => statusText(text), [text]);

  useEffect(() => {
    boxRef.current?.focus();
  }, []);

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    const r = parseCoordinates(text);
    if (!r.ok) {
      setDone(null);
      setProblems(r.problems);
      boxRef.current?.focus();
      return;
    }
    setProblems(null);
    setDone(`Shown on the map as a new area with ${r.corners} corners. Its figures are in the area panel.`);
    props.onShape(r.geometry);
  };

  const describedBy = [`${id}-help`, `${id}-status`, problems ? `${id}-problems` : null].filter(Boolean).join(' ');
  return (
    <form className="coordinate-entry" noValidate onSubmit={submit} aria-label="Draw an area from coordinates" data-testid="coordinate-entry">
      <label htmlFor={`${id}-box`} className="field-label">
        Corners, GeoJSON or WKT
      </label>
      <textarea
        id={`${id}-box`}
        ref={boxRef}
        className="coordinate-entry__box"
        rows={6}
        spellCheck={false}
        autoComplete="off"
        value={text}
        aria-describedby={describedBy}
        aria-invalid={problems ? true : undefined}
        onChange={(e) => {
          setText(e.currentTarget.value);
          setDone(null);
        }}
        placeholder={'52.9548, -1.1581\n52.9548, -1.1450\n52.9490, -1.1450'}
      />
      <p className="hint" id={`${id}-help`}>
        One corner per line: “latitude, longitude” or “longitude latitude” in decimal degrees (the order is recognised:
        British latitudes are 49.8 to 61, longitudes −8.8 to 1.9). Or paste a GeoJSON Polygon or Feature, or WKT
        POLYGON((lon lat, …)).
      </p>
      <p className="hint coordinate-entry__status" id={`${id}-status`} data-testid="coordinate-status">
        {status}
      </p>
      {problems && (
        <div className="message message--error" role="alert" id={`${id}-problems`} data-testid="coordinate-problems">
          {problems.length === 1 ? (
            <p>{problems[0]}</p>
          ) : (
            <ul>
              {problems.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          )}
        </div>
      )}
      {done && (
        <p className="message message--info" role="status">
          {done}
        </p>
      )}
      <div className="button-row button-row--tight">
        <button type="submit" className="button button--primary" disabled={props.disabled}>
          Show on map
        </button>
        <button type="button" className="button" onClick={props.onClose}>
          Close
        </button>
      </div>
    </form>
  );
}
