import { useEffect, useId, useRef, useState } from 'react';
import type { BBox, DatasetSummary, Position } from '@safer-places/schemas';
import { describeError, type ApiClient } from '../api/client';
import { PLANNER_PERIODS, PLANNER_TABS, plannerPeriod, plannerSelection, type PlannerAnswers, type PlannerTab } from '../lib/planning';
import type { HotspotPeriod } from '../lib/hotspots';
import { periodLabel } from '../lib/period';
import { CategoryPicker } from './CategoryPicker';
import { PanelShell } from './SidePanel';
import type { PlannerState } from './PlannerState';
import { PatrolTab } from './PlannerPatrol';
import { GapsTab } from './PlannerGaps';
import { SitesTab } from './PlannerSites';
import { RotationTab } from './PlannerRotation';
import { HelpPointsTab } from './PlannerHelpPoints';
import { DosageTab } from './PlannerDosage';
import { ScopeNote } from '../features/scope/ScopeNote';
import { answerScope } from '../features/scope/scopeState';
import '../planning.css';

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

export type LoadState = { state: 'idle' } | { state: 'loading' } | { state: 'done' } | { state: 'error'; message: string };

/**
 * The planner's right-hand panel: patrol plans and their dosage log, CCTV coverage gaps, new camera sites, re-deployable
 * camera rotation and help point suggestions, one tab each. The active tab's answer is loaded whenever what it asks
 * changes, and drawn on the map with its legend.
 */
export function PlannerPanel(props: PlannerPanelProps) {
  const id = useId();
  const { planner, dataset, api } = props;
  const { tab, query, key } = planner;
  const [load, setLoad] = useState<LoadState>({ state: 'idle' });
  const tabRefs = useRef(new Map<PlannerTab, HTMLButtonElement>());

  useEffect(() => {
    if (!key) {
      setLoad({ state: 'idle' });
      return;
    }
    if (planner.answers[tab]?.key === key) {
      setLoad({ state: 'done' });
      return;
    }
    const controller = new AbortController();
    const signal = controller.signal;
    setLoad({ state: 'loading' });
    const sel = plannerSelection(query, dataset, tab === 'rotation', props.scopeKey);
    const run = async () => {
      switch (tab) {
        case 'patrol':
          return planner.setAnswer('patrol', {
            key,
            result: await api.patrolPlan({ ...sel, start: query.start!, bbox: query.area, top: query.top, minutes: query.minutes, perDay: query.perDay, speedKmh: query.speedKmh, roundTrip: query.roundTrip }, signal),
          });
        case 'gaps':
          return planner.setAnswer('gaps', { key, result: await api.coverageGaps({ ...sel, top: query.top, proposed: query.proposed }, signal) });
        case 'sites':
          return planner.setAnswer('sites', {
            key,
            result: await api.candidateSites({ ...sel, k: query.k, cameraType: query.cameraType, proposed: query.proposed, ...(query.candidates && { candidates: query.candidates.sites }) }, signal),
          });
        case 'rotation':
          return planner.setAnswer('rotation', { key, result: await api.rotation({ ...sel, suggestions: 3 }, signal) });
        case 'help': {
          const range = plannerPeriod(query.period, dataset);
          return planner.setAnswer('help', {
            key,
            result: await api.helpPointSuggestions({ dataset: dataset.id, ...(props.scopeKey && { scope: props.scopeKey }), ...(range ?? {}), top: query.top, distanceM: query.helpDistanceM }, signal),
          });
        }
        case 'dosage':
          return planner.setAnswer('dosage', { key, result: await api.dosageReport({ dataset: dataset.id, ...(planner.dosageMonth && { month: planner.dosageMonth }) }, signal) });
      }
    };
    run()
      .then(() => setLoad({ state: 'done' }))
      .catch((err) => {
        if ((err as Error).name === 'AbortError') return;
        setLoad({ state: 'error', message: describeError(err) });
      });
    return () => controller.abort();
  }, [key]);

  const choose = (t: PlannerTab) => {
    if (props.picking) props.onCancelPick();
    planner.setSelected(null);
    planner.setTab(t);
  };
  // Arrow keys move between tabs (and choose), Home and End go to the ends: the ARIA tabs pattern.
  const onTabKey = (e: React.KeyboardEvent) => {
    const i = PLANNER_TABS.findIndex((t) => t.value === tab);
    const next = e.key === 'ArrowRight' || e.key === 'ArrowDown' ? i + 1 : e.key === 'ArrowLeft' || e.key === 'ArrowUp' ? i - 1 : e.key === 'Home' ? 0 : e.key === 'End' ? PLANNER_TABS.length - 1 : null;
    if (next === null) return;
    e.preventDefault();
    const t = PLANNER_TABS[(next + PLANNER_TABS.length) % PLANNER_TABS.length]!.value;
    choose(t);
    tabRefs.current.get(t)?.focus();
  };

  const range = plannerPeriod(query.period, dataset);
  const answerFor = <T extends PlannerTab>(t: T): NonNullable<PlannerAnswers[T]>['result'] | null => {
    const a = planner.answers[t];
    return a && a.key === key ? (a.result as NonNullable<PlannerAnswers[T]>['result']) : null;
  };
  const common = { ...props, load, answerFor };
  const showCrimes = tab === 'patrol' || tab === 'gaps' || tab === 'sites' || tab === 'rotation';

  return (
    <PanelShell title="Patrols and CCTV" subtitle={props.scopeLabel ? `${props.scopeLabel} · ${dataset.name}` : dataset.name} onClose={props.onClose} testId="planner-panel" className="side-panel--area planner">
      <div role="tablist" aria-label="Planner" className="planner-tabs" onKeyDown={onTabKey}>
        {PLANNER_TABS.map((t) => (
          <button
            key={t.value}
            ref={(el) => {
              if (el) tabRefs.current.set(t.value, el);
            }}
            type="button"
            role="tab"
            id={`${id}-tab-${t.value}`}
            aria-selected={tab === t.value}
            aria-controls={`${id}-panel`}
            tabIndex={tab === t.value ? 0 : -1}
            className="planner-tabs__tab"
            onClick={() => choose(t.value)}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`${id}-panel`} aria-labelledby={`${id}-tab-${tab}`} className="planner-tabpanel">
        <p className="hint">{PLANNER_TABS.find((t) => t.value === tab)!.hint}</p>
        {tab !== 'dosage' && <ScopeNote summary={answerScope(planner.answers[tab]?.key === key ? planner.answers[tab]?.result : null)} asked={props.scopeLabel} testId="planner-scope" />}
        {showCrimes && (
          <>
            <CategoryPicker categories={query.categories} onChange={(c) => planner.setQuery({ ...query, categories: c })} legend="Crime types" />
            {tab !== 'rotation' ? (
              <>
                <label htmlFor={`${id}-period`} className="field-label">
                  Period
                </label>
                <select id={`${id}-period`} value={query.period} onChange={(e) => planner.setQuery({ ...query, period: e.currentTarget.value as HotspotPeriod })}>
                  {PLANNER_PERIODS.map((p) => (
                    <option key={p.value} value={p.value}>
                      {p.label}
                    </option>
                  ))}
                </select>
                <p className="hint">{range ? periodLabel(range.from, range.to) : 'No crime data in this dataset.'}</p>
              </>
            ) : (
              <p className="hint">Emerging and persistent hot spots are found over every month of the dataset{dataset.firstMonth && dataset.lastMonth ? ` (${periodLabel(dataset.firstMonth, dataset.lastMonth)})` : ''}.</p>
            )}
          </>
        )}
        {tab === 'patrol' && <PatrolTab {...common} result={answerFor('patrol')} />}
        {tab === 'gaps' && <GapsTab {...common} result={answerFor('gaps')} />}
        {tab === 'sites' && <SitesTab {...common} result={answerFor('sites')} />}
        {tab === 'rotation' && <RotationTab {...common} result={answerFor('rotation')} />}
        {tab === 'help' && <HelpPointsTab {...common} result={answerFor('help')} />}
        {tab === 'dosage' && <DosageTab {...common} result={answerFor('dosage')} />}
      </div>
    </PanelShell>
  );
}

export type TabProps<T> = PlannerPanelProps & { load: LoadState; result: T | null };

/** Loading and error lines, announced politely. */
export function LoadLine({ load, what }: { load: LoadState; what: string }) {
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
