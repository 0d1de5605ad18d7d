import { useId, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import { describeError, type ApiClient } from '../../api/client';
import type { ScopeState } from './useScope';
import { PartnershipAreas } from './PartnershipAreas';
import { useModalDialog } from '../../shared/useModalDialog';

/**
 * "Places…": the current place and the organisation's home area (administrators can make the current place home), and
 * the organisation's partnership areas (analysts and administrators create and delete them). A modal dialog: focus
 * stays inside, Escape or Close returns to the picker.
 */
export function ScopeDialog(props: {
  api: ApiClient;
  scope: ScopeState;
  canEditPartnerships: boolean;
  canSetHome: boolean;
  announce(message: string): void;
  onClose(): void;
}) {
  const id = useId();
  const { scope, onClose } = props;
  const ref = useRef<HTMLDivElement>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ kind: 'error' | 'info'; text: string } | null>(null);

  useModalDialog(ref, { onClose, focusFirst: () => headingRef.current?.focus(), start: headingRef });

  const home = scope.options?.home ?? null;
  const isHome = !!scope.key && scope.key === scope.homeKey;
  const isView = scope.scope?.kind === 'view';

  return createPortal(
    <div className="scope-dialog__backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div className="scope-dialog" role="dialog" aria-modal="true" aria-labelledby={`${id}-title`} ref={ref} data-testid="scope-dialog">
        <div className="scope-dialog__head">
          <h2 id={`${id}-title`} ref={headingRef} tabIndex={-1}>
            Places
          </h2>
          <button type="button" className="icon-button" aria-label="Close places" onClick={onClose}>
            ×
          </button>
        </div>
        <section aria-labelledby={`${id}-now`}>
          <h3 id={`${id}-now`} className="side-panel__section">
            This session
          </h3>
          <p data-testid="scope-dialog-current">
            Every analysis runs on <strong>{scope.label || 'the study area'}</strong>.
          </p>
          <p className="hint" data-testid="scope-dialog-home">
            {home
              ? scope.homeKey
                ? `Your organisation's home area: ${home.label}. Colleagues land there when they open the map without a link to a place.`
                : `No home area is set: colleagues land on the study area (${home.label}).`
              : 'The home area could not be loaded.'}
          </p>
          {props.canSetHome && (
            <div className="button-row button-row--tight">
              <button
                type="button"
                className="button"
                disabled={busy || isHome || isView || !scope.key}
                onClick={async () => {
                  setBusy(true);
                  setMessage(null);
                  try {
                    await scope.makeHome();
                    setMessage({ kind: 'info', text: `${scope.label} is now your organisation's home area.` });
                    props.announce(`${scope.label} is now your organisation's home area.`);
                  } catch (err) {
                    setMessage({ kind: 'error', text: `The home area could not be saved: ${describeError(err)}` });
                  } finally {
                    setBusy(false);
                  }
                }}
              >
                Make this our home area
              </button>
              {isHome && <span className="hint">This is already the home area.</span>}
              {isView && <span className="hint">A map view cannot be the home area: choose a district, CSP or partnership area.</span>}
            </div>
          )}
          {message && (
            <p className={message.kind === 'error' ? 'message message--error' : 'message message--info'} role={message.kind === 'error' ? 'alert' : 'status'}>
              {message.text}
            </p>
          )}
        </section>
        <PartnershipAreas api={props.api} scope={scope} canEdit={props.canEditPartnerships} announce={props.announce} />
        <div className="button-row">
          <button type="button" className="button" onClick={onClose}>
            Close
          </button>
        </div>
      </div>
    </div>,
    document.body,
  );
}
