import { useId, useRef } from 'react';
import type { HotspotPeriod } from '../hotspots/hotspots';
import { periodLabel } from '../../shared/period';
import { CategoryPicker } from '../../shared/CategoryPicker';
import { PanelShell } from '../../shared/PanelShell';
import { ScopeNote } from '../scope/ScopeNote';
import { answerScope } from '../scope/scopeState';
import { DosageTab } from './DosageTab';
import { GapsTab } from './GapsTab';
import { HelpPointsTab } from './HelpPointsTab';
import { PatrolTab } from './PatrolTab';
import { RotationTab } from './RotationTab';
import { SitesTab } from './SitesTab';
import { PLANNER_PERIODS, PLANNER_TABS, plannerPeriod, type PlannerAnswers, type PlannerTab } from './query';
import type { PlannerPanelProps } from './shared';
import { usePlannerLoad } from './usePlannerLoad';
import { useProposedViews } from './useProposedViews';
import '../../planning.css';

export type { PlannerPanelProps, PlannerPickKind } from './shared';

/**
 * The planner's right-hand panel: patrol plans and their dosage log, CCTV coverage gaps, new camera sites, re-deployable
 * camera rotation and help point suggestions, one tab each. The active tab's answer is loaded whenever what it asks
 * changes, and drawn on the map with its legend.
 */
export function PlannerPanel(props: PlannerPanelProps) {
  const id = useId();
  const { planner, dataset, api } = props;
  const { tab, query, key } = planner;
  const load = usePlannerLoad(api, planner, dataset, props.scopeKey);
  useProposedViews(api, planner);
  const tabRefs = useRef(new Map<PlannerTab, HTMLButtonElement>());

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
