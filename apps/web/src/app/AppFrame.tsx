import type { ReactNode } from 'react';
import { SyntheticBadge } from './Header';

export interface AppFrameProps {
  synthetic: boolean;
  /** The header's place picker (signed in only). */
  scopePicker?: ReactNode;
  /** The header's search box (signed in only). */
  search?: ReactNode;
  signIn: ReactNode;
  /** The map controls column. */
  controls: ReactNode;
  /** The map area: the map, its legend, the views over it and its messages. */
  main: ReactNode;
  /** The side panel, if one is open, and how wide its column is. */
  panel: ReactNode;
  panelWidth: 'area' | 'other' | null;
  footer: ReactNode;
}

/** The page's layout, the same signed in or not: header, controls column, map area, side panel, footer. */
export function AppFrame(props: AppFrameProps) {
  return (
    <div className="app">
      <a className="skip-link" href="#controls">Skip to map controls</a>
      <header className="app-header">
        <div className="brand">
          <h1>Safer Places</h1>
          {props.synthetic && <SyntheticBadge />}
        </div>
        {props.search}
        {props.scopePicker}
        {props.signIn}
      </header>

      <div className={`app-body${props.panel ? ' app-body--panel' : ''}${props.panelWidth === 'area' ? ' app-body--area-panel' : ''}`}>
        <aside className="controls" id="controls" aria-label="Map controls" tabIndex={-1}>
          {props.controls}
        </aside>

        <main className="map-area" aria-label="Map">
          {props.main}
        </main>

        {props.panel}
      </div>

      {props.footer}
    </div>
  );
}
