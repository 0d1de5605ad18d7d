import { useCallback, useMemo, useState } from 'react';
import type { DatasetSummary, FeatureCollection, Position, ProposedCameraView } from '@safer-places/schemas';
import type { PlanningMapState } from './mapFeatures';
import { plannerMapState } from './mapState';
import { DEFAULT_PLANNER_QUERY, plannerRequestKey, type PlannerAnswers, type PlannerQuery, type PlannerTab } from './query';

/** Proposed camera views kept for drawing (the most a request may propose, twice over); older ones are asked again. */
const MAX_KNOWN_VIEWS = 40;

export interface VisitDraft {
  spotName: string;
  location: Position;
}

/**
 * The planner's state, held by the app so it outlives the panel (a camera clicked on the map takes the panel's column
 * for a moment): the tab, the choices, the answers by request key, and what the map shows for them.
 */
export function usePlanner(
  dataset: DatasetSummary | null,
  camerasLayer: FeatureCollection | null | undefined,
  helpPointsLayer: FeatureCollection | null | undefined,
  /** The session's place: every analysis but the dosage log runs on it. Null while it is not known yet. */
  scope: string | null = null,
) {
  const [tab, setTab] = useState<PlannerTab>('patrol');
  const [query, setQuery] = useState<PlannerQuery>(DEFAULT_PLANNER_QUERY);
  const [answers, setAnswers] = useState<PlannerAnswers>({});
  const [selected, setSelected] = useState<number | null>(null);
  const [dosageMonth, setDosageMonth] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const [visitDraft, setVisitDraft] = useState<VisitDraft | null>(null);
  // Views of proposed cameras asked for before any answer drew them (see useProposedViews), latest last.
  const [cameraViews, setCameraViews] = useState<readonly ProposedCameraView[]>([]);

  // The organisation's cameras and help points as they are now: an edit, a move or a new one changes this.
  const assets = useMemo(
    () => [camerasLayer, helpPointsLayer].map((fc) => (fc?.features ?? []).map((f) => `${String(f.properties.id)}:${String(f.properties.version)}`).join(',')).join('|'),
    [camerasLayer, helpPointsLayer],
  );
  const key = dataset && (scope || tab === 'dosage') ? plannerRequestKey(tab, query, dataset, { dosageMonth, version, assets, scope }) : null;
  const mapState: PlanningMapState = useMemo(
    () => plannerMapState(tab, query, answers, { current: key }, cameraViews, selected),
    [tab, query, answers, key, cameraViews, selected],
  );
  const setAnswer = useCallback(<T extends keyof PlannerAnswers>(t: T, answer: PlannerAnswers[T]) => setAnswers((a) => ({ ...a, [t]: answer })), []);
  const addCameraViews = useCallback(
    (views: readonly ProposedCameraView[]) => setCameraViews((known) => [...known, ...views].slice(-MAX_KNOWN_VIEWS)),
    [],
  );
  const reset = useCallback(() => {
    setTab('patrol');
    setQuery(DEFAULT_PLANNER_QUERY);
    setAnswers({});
    setSelected(null);
    setDosageMonth(null);
    setVisitDraft(null);
    setCameraViews([]);
  }, []);
  return {
    tab,
    setTab,
    query,
    setQuery,
    answers,
    setAnswer,
    key,
    selected,
    setSelected,
    dosageMonth,
    setDosageMonth,
    /** Load the visits and deployments again (after recording one). */
    refresh: () => setVersion((v) => v + 1),
    visitDraft,
    setVisitDraft,
    /** Views of proposed cameras from `POST /api/planning/camera-views`, drawn until an answer draws them. */
    cameraViews,
    addCameraViews,
    mapState,
    reset,
  };
}

export type PlannerState = ReturnType<typeof usePlanner>;
