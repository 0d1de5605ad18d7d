import { useCallback, useEffect, useState } from 'react';

const TOAST_MS = 5000;

/** A short message for the status line: shown until the next one, or for five seconds. */
export function useToast(): { toast: string | null; announce(message: string): void } {
  const [toast, setToast] = useState<string | null>(null);
  const announce = useCallback((message: string) => setToast(message), []);
  useEffect(() => {
    if (!toast) return;
    const t = setTimeout(() => setToast(null), TOAST_MS);
    return () => clearTimeout(t);
  }, [toast]);
  return { toast, announce };
}
