import { useEffect, useId, useRef, useState } from 'react';
import './share.css';

export interface ShareControlProps {
  /** The address of the view as it is now. */
  getLink(): string;
  /** Says something to screen-reader users (and shows it briefly). */
  announce(message: string): void;
  /** Why parts of the link this page was opened with were not used. */
  problems: readonly string[];
  onDismissProblems(): void;
  /** The clipboard to write to (the browser's by default; absent where the page may not use it). */
  clipboard?: Pick<Clipboard, 'writeText'> | null;
}

/** Copying is refused (no permission, not a secure page) or there is no clipboard: the link is shown selected instead. */
export const COPY_FALLBACK_HINT = 'This browser did not allow copying: the link is selected, press Ctrl+C (⌘C on a Mac) to copy it.';

/**
 * "Copy link": puts the address of the view as it is now (map position, layers, shading, place and the open item) on
 * the clipboard and says "Link copied". Where the clipboard may not be used, the link is shown in a text box, selected,
 * for the user to copy.
 */
export function ShareControl({ getLink, announce, problems, onDismissProblems, clipboard = typeof navigator === 'undefined' ? null : (navigator.clipboard ?? null) }: ShareControlProps) {
  const id = useId();
  const [fallback, setFallback] = useState<string | null>(null);
  const fieldRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (fallback === null) return;
    fieldRef.current?.focus();
    fieldRef.current?.select();
  }, [fallback]);

  const copy = async () => {
    const link = getLink();
    try {
      if (!clipboard) throw new Error('no clipboard');
      await clipboard.writeText(link);
      setFallback(null);
      announce('Link copied');
    } catch {
      setFallback(link);
      announce(COPY_FALLBACK_HINT);
    }
  };

  return (
    <section className="control-group share" aria-labelledby={`${id}-title`}>
      <h2 className="control-group__title" id={`${id}-title`}>Share this view</h2>
      <button type="button" className="button button--block" onClick={() => void copy()} aria-describedby={`${id}-hint`} data-testid="share-copy">
        Copy link
      </button>
      <p className="hint" id={`${id}-hint`}>A link to this map view, its layers, shading, place and open item. Colleagues see it with their own sign-in.</p>
      {fallback !== null && (
        <div className="share__fallback">
          <label htmlFor={`${id}-link`}>Link to this view</label>
          <input id={`${id}-link`} ref={fieldRef} type="text" readOnly value={fallback} onFocus={(e) => e.currentTarget.select()} data-testid="share-link" />
          <p className="hint">{COPY_FALLBACK_HINT}</p>
        </div>
      )}
      {problems.length > 0 && (
        <div className="message message--info share__problems" data-testid="share-problems">
          <ul>
            {problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
          <button type="button" className="button" onClick={onDismissProblems}>Dismiss</button>
        </div>
      )}
    </section>
  );
}
