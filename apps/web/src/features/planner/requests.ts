import type { ApiClient } from '../../api/client';
import { plannerPeriod, plannerSelection, type DatasetLike, type PlannerAnswers, type PlannerQuery, type PlannerTab } from './query';

/** The planner calls of the app's client (a test can pass just these). */
export type PlanningCalls = Pick<ApiClient, 'patrolPlan' | 'coverageGaps' | 'candidateSites' | 'rotation' | 'helpPointSuggestions' | 'dosageReport'>;

/** Keeps an answer under its tab, with the request key it answers. */
export type StoreAnswer = <T extends keyof PlannerAnswers>(tab: T, answer: PlannerAnswers[T]) => void;

/** Everything a tab's request is made of. */
export interface PlannerAsk {
  tab: PlannerTab;
  query: PlannerQuery;
  dataset: DatasetLike;
  /** The session's place (a scope key); the dosage log is the organisation's own and ignores it. */
  scopeKey: string | null;
  dosageMonth: string | null;
}

/**
 * Asks the server what the tab shows, and stores the answer under `key` (the request key of `ask`, from
 * plannerRequestKey): patrol plan, coverage gaps, camera sites, rotation, help points or the dosage report.
 */
export async function loadPlannerAnswer(api: PlanningCalls, ask: PlannerAsk, key: string, store: StoreAnswer, signal: AbortSignal): Promise<void> {
  const { tab, query, dataset, scopeKey } = ask;
  const sel = plannerSelection(query, dataset, tab === 'rotation', scopeKey);
  switch (tab) {
    case 'patrol':
      return store('patrol', {
        key,
        result: await api.patrolPlan({ ...sel, start: query.start!, bbox: query.area, top: query.top, minutes: query.minutes, perDay: query.perDay, speedKmh: query.speedKmh, roundTrip: query.roundTrip }, signal),
      });
    case 'gaps':
      return store('gaps', { key, result: await api.coverageGaps({ ...sel, top: query.top, proposed: query.proposed }, signal) });
    case 'sites':
      return store('sites', {
        key,
        result: await api.candidateSites({ ...sel, k: query.k, cameraType: query.cameraType, proposed: query.proposed, ...(query.candidates && { candidates: query.candidates.sites }) }, signal),
      });
    case 'rotation':
      return store('rotation', { key, result: await api.rotation({ ...sel, suggestions: 3 }, signal) });
    case 'help': {
      const range = plannerPeriod(query.period, dataset);
      return store('help', {
        key,
        result: await api.helpPointSuggestions({ dataset: dataset.id, ...(scopeKey && { scope: scopeKey }), ...(range ?? {}), top: query.top, distanceM: query.helpDistanceM }, signal),
      });
    }
    case 'dosage':
      return store('dosage', { key, result: await api.dosageReport({ dataset: dataset.id, ...(ask.dosageMonth && { month: ask.dosageMonth }) }, signal) });
  }
}
