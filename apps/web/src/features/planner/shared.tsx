import type { BBox, DatasetSummary, Position } from '@safer-places/schemas';
import type { ApiClient } from '../../api/client';
import { ImageSwatch } from '../../shared/Swatches';
import { formatInteger } from '../../shared/format';
import { hotspotRankIconId, rasterizeIcon } from '../../map/icons';
import type { IconImage } from '../../map/types';
import type { Remote } from '../../shared/remote';
import { planningIconSpec } from './layers';
import type { PlannerState } from './usePlanner';

/*
 * What the planner's panel and its tabs share: their props, the loading line, the method notes and the map's markers.
 */

/** What the planner asks the map for: a point to be clicked (the patrol's start, a "what if" camera). */
export type PlannerPickKind = 'start' | 'proposed';

export interface PlannerPanelProps {
  api: ApiClient;
  dataset: DatasetSummary;
  /** The session's place (a scope key) and its name. */
  scopeKey: string | null;
  scopeLabel: string;
  planner: PlannerState;
  /** May record patrol visits and camera deployments (planners and admins). */
  canRecord: boolean;
  /** May move cameras (planners and admins). */
  canEditCameras: boolean;
  /** The pick in progress, if any. */
  picking: PlannerPickKind | null;
  onPick(kind: PlannerPickKind, hint: string, onPoint: (p: Position) => void): void;
  onCancelPick(): void;
  getCentre(): Position | null;
  /** The map view as a box. */
  getView(): BBox | null;
  onFocus(p: Position): void;
  onFit(bbox: BBox): void;
  onCamerasChanged(): Promise<void>;
  announce(message: string): void;
  onClose(): void;
}

/** How the active tab's answer is loading (the answer itself is kept in the planner's state, by request key). */
export type PlannerLoad = Remote<void>;

export type TabProps<T> = PlannerPanelProps & { load: PlannerLoad; result: T | null };

/** Loading and error lines, announced politely. */
export function LoadLine({ load, what }: { load: PlannerLoad; what: string }) {
  return (
    <div aria-live="polite">
      {load.state === 'loading' && (
        <p className="hint" role="status" data-testid="planner-loading">
          Working out {what}…
        </p>
      )}
      {load.state === 'error' && (
        <p className="message message--error" role="alert">
          {what[0]!.toUpperCase() + what.slice(1)} could not be worked out: {load.message}
        </p>
      )}
    </div>
  );
}

/** The server's method notes, under every answer. */
export function MethodNotes({ notes }: { notes: readonly string[] }) {
  return (
    <>
      <h3 className="side-panel__section">How this was worked out</h3>
      <ul className="notes">
        {notes.map((n) => (
          <li key={n}>{n}</li>
        ))}
      </ul>
    </>
  );
}

const images = new Map<string, IconImage | null>();

/** The very image the map draws for an icon id (numbered markers, camera symbols, the planner's own), cached. */
export function plannerIconImage(id: string): IconImage | null {
  if (!images.has(id)) {
    const spec = planningIconSpec(id, 2);
    images.set(id, spec ? rasterizeIcon(spec) : null);
  }
  return images.get(id)!;
}

/** A map marker as it appears on the map, with a text alternative when it stands for something on its own. */
export function PlannerIcon({ icon, label }: { icon: string; label?: string }) {
  const image = plannerIconImage(icon);
  return image ? <ImageSwatch image={image} {...(label && { label })} /> : null;
}

/** A row's numbered marker (slot: the marker's colour; n: its number, 20 at most): pressing it shows the place on the map. */
export function RankButton({ label, slot, n, onPress }: { label: string; slot: number; n: number; onPress(): void }) {
  return (
    <button type="button" className="rank-button" aria-label={label} onClick={onPress}>
      <PlannerIcon icon={hotspotRankIconId(slot, Math.min(n, 20))} />
    </button>
  );
}

/** The crime types that make up a spot's count, as one line: "Burglary 12, Vehicle crime 3". */
export function mainTypesLine(types: readonly { label: string; count: number }[]): string {
  return types.map((t) => `${t.label} ${formatInteger(t.count)}`).join(', ');
}
