import { useEffect, useRef } from 'react';

/** The side panel's frame: a heading that takes focus when the panel opens (or shows another item), and a close button. */
export function PanelShell(props: { title: string; subtitle?: string; onClose(): void; children: React.ReactNode; testId: string; className?: string }) {
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    headingRef.current?.focus();
  }, [props.title]);
  return (
    <aside className={`side-panel${props.className ? ` ${props.className}` : ''}`} aria-labelledby="panel-heading" data-testid={props.testId}>
      <div className="side-panel__head">
        <div>
          <h2 id="panel-heading" ref={headingRef} tabIndex={-1}>{props.title}</h2>
          {props.subtitle && <p className="side-panel__sub">{props.subtitle}</p>}
        </div>
        <button type="button" className="icon-button" onClick={props.onClose} aria-label="Close details">×</button>
      </div>
      {/* Focusable, so a keyboard user can scroll a long panel with no link or button in it (e.g. an LSOA's figures). */}
      <div className="side-panel__body" tabIndex={0} role="region" aria-label={`${props.title}: details`}>
        {props.children}
      </div>
    </aside>
  );
}
