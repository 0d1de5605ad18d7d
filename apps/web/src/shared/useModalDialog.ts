import { useEffect, useRef, type RefObject } from 'react';

/** What Tab can reach inside a dialog. */
const FOCUSABLE = 'button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), a[href], [tabindex]:not([tabindex="-1"])';

/**
 * A modal dialog's keyboard: on open, focus goes to `focusFirst` (its heading or first field); Tab and Shift+Tab cycle
 * inside `dialog`; Escape closes it; on close, focus goes back to what had it before (the button that opened it).
 * `start` is an element before the first focusable one that also counts as the start (e.g. a heading with tabIndex -1).
 */
export function useModalDialog(dialog: RefObject<HTMLElement | null>, options: { onClose(): void; focusFirst(): void; start?: RefObject<HTMLElement | null> }): void {
  const opts = useRef(options);
  opts.current = options;
  const { onClose } = options;
  useEffect(() => {
    const returnTo = document.activeElement as HTMLElement | null;
    opts.current.focusFirst();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.stopPropagation();
        e.preventDefault();
        onClose();
        return;
      }
      if (e.key !== 'Tab' || !dialog.current) return;
      const items = [...dialog.current.querySelectorAll<HTMLElement>(FOCUSABLE)];
      if (items.length === 0) return;
      const first = items[0]!;
      const last = items[items.length - 1]!;
      const atStart = document.activeElement === first || (!!opts.current.start?.current && document.activeElement === opts.current.start.current);
      if (e.shiftKey && atStart) {
        e.preventDefault();
        last.focus();
      } else if (!e.shiftKey && document.activeElement === last) {
        e.preventDefault();
        first.focus();
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => {
      window.removeEventListener('keydown', onKey, true);
      returnTo?.focus?.();
    };
  }, [onClose, dialog]);
}
