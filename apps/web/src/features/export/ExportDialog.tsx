import { useId, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import type { ExportFormat } from './useMapExport';
import { useModalDialog } from '../../shared/useModalDialog';

/**
 * The export dialog: the title (suggested from the place, measure and crime types) and the format. A modal dialog:
 * focus starts on the title and stays inside; Escape or Cancel returns to the button that opened it.
 */
export function ExportDialog(props: { suggestedTitle: string; busy: boolean; error: string | null; onExport(format: ExportFormat, title: string): void; onClose(): void }) {
  const id = useId();
  const { onClose } = props;
  const ref = useRef<HTMLDivElement>(null);
  const titleRef = useRef<HTMLInputElement>(null);
  const [title, setTitle] = useState(props.suggestedTitle);
  const [format, setFormat] = useState<ExportFormat>('png');

  useModalDialog(ref, {
    onClose,
    focusFirst: () => {
      titleRef.current?.focus();
      titleRef.current?.select();
    },
  });

  return createPortal(
    <div className="export-dialog__backdrop" onMouseDown={(e) => e.target === e.currentTarget && !props.busy && onClose()}>
      {/* The dialog is a div around the form: a form element may not take the dialog role. */}
      <div ref={ref} className="export-dialog" role="dialog" aria-modal="true" aria-labelledby={`${id}-title`} aria-busy={props.busy} data-testid="export-dialog">
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (!props.busy) props.onExport(format, title);
          }}
        >
          <h2 id={`${id}-title`}>Export map</h2>
          <label className="export-dialog__field">
            <span>Title</span>
            <input ref={titleRef} type="text" value={title} maxLength={160} onChange={(e) => setTitle(e.target.value)} required />
          </label>
          <fieldset className="export-dialog__formats">
            <legend>Format</legend>
            <label>
              <input type="radio" name={`${id}-format`} value="png" checked={format === 'png'} onChange={() => setFormat('png')} /> PNG picture (download)
            </label>
            <label>
              <input type="radio" name={`${id}-format`} value="print" checked={format === 'print'} onChange={() => setFormat('print')} /> Print layout (A4 landscape)
            </label>
          </fieldset>
          <p className="hint">The map as it is now, with the legend, period, scale bar, north arrow and sources. Layers switched off stay off.</p>
          {props.error && (
            <p className="message message--error" role="alert">
              {props.error}
            </p>
          )}
          {props.busy && (
            <p className="hint" role="status">
              Drawing the map…
            </p>
          )}
          <div className="export-dialog__actions">
            <button type="submit" className="button button--primary" disabled={props.busy || !title.trim()}>
              {format === 'png' ? 'Download PNG' : 'Open print layout'}
            </button>
            <button type="button" className="button" onClick={onClose} disabled={props.busy}>
              Cancel
            </button>
          </div>
        </form>
      </div>
    </div>,
    document.body,
  );
}
