import { useEffect, useRef } from 'react';
import { createPortal } from 'react-dom';
import type { PrintPicture } from './useMapExport';

/** Only while the print layout is open: an A4 landscape page with a small margin (other printouts keep their own). */
const PAGE_RULE = '@page { size: A4 landscape; margin: 6mm; }';

/**
 * The print layout: the composed A4 landscape page over the app, the only thing printed (the app's chrome is hidden in
 * print). The browser's print dialog opens once the page has loaded; Print opens it again, Close or Escape goes back.
 */
export function PrintLayout({ picture, onClose }: { picture: PrintPicture; onClose(): void }) {
  const headingRef = useRef<HTMLHeadingElement>(null);
  const printed = useRef(false);
  useEffect(() => {
    const returnTo = document.activeElement as HTMLElement | null;
    headingRef.current?.focus();
    document.body.classList.add('printing-map-export');
    const style = document.createElement('style');
    style.dataset.mapExport = 'page';
    style.textContent = PAGE_RULE;
    document.head.appendChild(style);
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.stopPropagation();
        onClose();
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => {
      window.removeEventListener('keydown', onKey, true);
      style.remove();
      document.body.classList.remove('printing-map-export');
      returnTo?.focus?.();
    };
  }, [onClose]);

  return createPortal(
    <div className="map-print" role="dialog" aria-modal="true" aria-labelledby="map-print-title" data-testid="map-print">
      <div className="map-print__tools">
        <h2 id="map-print-title" ref={headingRef} tabIndex={-1}>
          Print layout: {picture.title}
        </h2>
        <button type="button" className="button button--primary" onClick={() => window.print()}>
          Print
        </button>
        <button type="button" className="button" onClick={onClose}>
          Close
        </button>
      </div>
      <div className="map-print__page">
        <img
          src={picture.url}
          alt={picture.alt}
          data-testid="map-print-image"
          onLoad={() => {
            if (printed.current) return;
            printed.current = true;
            window.print();
          }}
        />
      </div>
    </div>,
    document.body,
  );
}
