import { useId, useState } from 'react';
import type { DatasetSummary } from '@safer-places/schemas';
import { describeError } from '../../api/client';
import {
  BANDWIDTHS,
  CELL_SIZES,
  CORRECTIONS,
  HOTSPOT_MODES,
  HOTSPOT_PERIODS,
  TOP_CHOICES,
  describeCell,
  resolveHotspotPeriod,
  type HotspotAnswer,
  type HotspotPeriod,
  type HotspotQueryState,
} from './hotspots';
import { formatDistance, formatMetres } from '../../shared/format';
import type { Remote } from '../../shared/remote';
import { periodLabel } from '../../shared/period';
import type { HotspotMode } from './layers';
import { CategoryPicker } from '../../shared/CategoryPicker';
import { PanelShell } from '../../shared/PanelShell';
import { ScopeNote } from '../scope/ScopeNote';
import { Summary, TopTables } from './HotspotResult';
import { answerScope } from '../scope/scopeState';

export interface HotspotPanelProps {
  dataset: DatasetSummary;
  /** The session's place: the analysis runs again when it changes. */
  scopeKey: string | null;
  scopeLabel: string;
  query: HotspotQueryState;
  onQuery(q: HotspotQueryState): void;
  /** The analysis the query asks for (run by useHotspots, which the map and legend read too). */
  result: Remote<HotspotAnswer>;
  selectedCell: number | null;
  selectedSpot: string | null;
  onSelectSpot(key: string, position: [number, number]): void;
  onExportTop(): Promise<void>;
  onClose(): void;
}

/**
 * Why the density answer has the bandwidth it has: the answer's own reason (the server words it, "Bandwidth 600 m,
 * automatic: …"), or what the automatic rule does while no density answer is there.
 */
export function bandwidthReason(answer: HotspotAnswer | null, chosen: HotspotQueryState['bandwidth']): string {
  if (answer?.mode === 'density' && answer.result.bandwidthReason) return answer.result.bandwidthReason;
  if (chosen !== 'auto') return `Bandwidth ${formatDistance(chosen)}, as chosen.`;
  return 'Automatic: the spread of the crimes (normal reference rule), kept between 2 and 6 cells and at least 200 m, so a city is not blurred into one blob.';
}

/** The analyst's hot spot panel: choose the method and crime, read the result, pick a top spot to look at. */
export function HotspotPanel(props: HotspotPanelProps) {
  const id = useId();
  const { query: q, onQuery, result: state } = props;
  const [exportError, setExportError] = useState<string | null>(null);
  const period = resolveHotspotPeriod(q.period, props.dataset);

  const set = <K extends keyof HotspotQueryState>(key: K, value: HotspotQueryState[K]) => onQuery({ ...q, [key]: value });
  const answer = state.state === 'done' ? state.value : null;
  const cellLines = answer && props.selectedCell !== null ? describeCell(answer, props.selectedCell) : null;
  const periodText = period ? periodLabel(period.from, period.to) : 'no crime data';

  return (
    <PanelShell
      title="Hot spot analysis"
      subtitle={props.scopeLabel ? `${props.scopeLabel} · ${props.dataset.name}` : props.dataset.name}
      onClose={props.onClose}
      testId="hotspot-panel"
      className="side-panel--area"
    >
      <fieldset className="control-group control-group--plain">
        <legend className="side-panel__section">Method</legend>
        {HOTSPOT_MODES.map((m) => (
          <div className="radio" key={m.value}>
            <input
              type="radio"
              id={`${id}-mode-${m.value}`}
              name={`${id}-mode`}
              checked={q.mode === m.value}
              onChange={() => onQuery({ ...q, mode: m.value as HotspotMode, period: m.value === 'change' ? 'all' : q.period === 'all' ? 'last-12' : q.period })}
            />
            <label htmlFor={`${id}-mode-${m.value}`}>{m.label}</label>
          </div>
        ))}
        <p className="hint">{HOTSPOT_MODES.find((m) => m.value === q.mode)!.hint}</p>
      </fieldset>

      <h3 className="side-panel__section">Crimes</h3>
      <CategoryPicker categories={q.categories} onChange={(c) => set('categories', c)} legend="Crime types to analyse" />
      {q.mode === 'gi' && q.categories.length > 1 && (
        <p className="hint">The map combines them; the top hot spots are listed for each of the first three separately.</p>
      )}
      <label htmlFor={`${id}-period`} className="field-label">Period</label>
      <select id={`${id}-period`} value={q.period} onChange={(e) => set('period', e.currentTarget.value as HotspotPeriod)}>
        {HOTSPOT_PERIODS.map((p) => (
          <option key={p.value} value={p.value}>{p.label}</option>
        ))}
      </select>
      <p className="hint">{periodText}</p>

      <h3 className="side-panel__section">Grid</h3>
      <div className="field-row">
        <div>
          <label htmlFor={`${id}-cell`} className="field-label">Cell size</label>
          <select id={`${id}-cell`} value={String(q.cellSize)} onChange={(e) => set('cellSize', e.currentTarget.value === 'auto' ? 'auto' : Number(e.currentTarget.value))}>
            <option value="auto">Automatic</option>
            {CELL_SIZES.map((s) => (
              <option key={s} value={s}>{formatMetres(s)}</option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor={`${id}-shape`} className="field-label">Cell shape</label>
          <select id={`${id}-shape`} value={q.shape} onChange={(e) => set('shape', e.currentTarget.value as 'square' | 'hex')}>
            <option value="square">Squares</option>
            <option value="hex">Hexagons</option>
          </select>
        </div>
      </div>
      {q.cellSize === 'auto' && <p className="hint">Automatic: about 50 cells across the shorter side of the area, 50–500 m.</p>}

      {q.mode !== 'density' && (
        <>
          <label htmlFor={`${id}-correction`} className="field-label">Multiple-testing correction</label>
          <select id={`${id}-correction`} value={q.correction} onChange={(e) => set('correction', e.currentTarget.value as HotspotQueryState['correction'])}>
            {CORRECTIONS.map((c) => (
              <option key={c.value} value={c.value}>{c.label}</option>
            ))}
          </select>
        </>
      )}
      {q.mode === 'gi' && (
        <>
          <label htmlFor={`${id}-top`} className="field-label">Top hot spots per crime type</label>
          <select id={`${id}-top`} value={q.top} onChange={(e) => set('top', Number(e.currentTarget.value))}>
            {TOP_CHOICES.map((n) => (
              <option key={n} value={n}>{n}</option>
            ))}
          </select>
        </>
      )}
      {q.mode === 'change' && (
        <>
          <label htmlFor={`${id}-periods`} className="field-label">Sub-periods</label>
          <select id={`${id}-periods`} value={q.periods} onChange={(e) => set('periods', Number(e.currentTarget.value))}>
            {[4, 6, 8, 10, 12].map((n) => (
              <option key={n} value={n}>{n}</option>
            ))}
          </select>
        </>
      )}
      {q.mode === 'density' && (
        <>
          <label htmlFor={`${id}-bandwidth`} className="field-label">Bandwidth (kernel radius)</label>
          <select
            id={`${id}-bandwidth`}
            value={String(q.bandwidth)}
            aria-describedby={`${id}-bandwidth-why`}
            onChange={(e) => set('bandwidth', e.currentTarget.value === 'auto' ? 'auto' : Number(e.currentTarget.value))}
          >
            <option value="auto">Automatic (spread of the crimes, 2–6 cells)</option>
            {BANDWIDTHS.map((b) => (
              <option key={b} value={b}>{formatDistance(b)}</option>
            ))}
          </select>
          <p className="hint" id={`${id}-bandwidth-why`} data-testid="hotspot-bandwidth-reason">
            {bandwidthReason(answer, q.bandwidth)}
          </p>
          <div className="check">
            <input type="checkbox" id={`${id}-per-residents`} checked={q.perResidents} onChange={(e) => set('perResidents', e.currentTarget.checked)} />
            <label htmlFor={`${id}-per-residents`}>Per 1,000 residents (dual KDE with Census population)</label>
          </div>
        </>
      )}

      <div aria-live="polite">
        {state.state === 'loading' && <p className="hint" role="status" data-testid="hotspot-loading">Analysing…</p>}
        {state.state === 'error' && (
          <p className="message message--error" role="alert">
            The analysis could not be run: {state.message}
          </p>
        )}
      </div>
      <ScopeNote summary={answer ? answerScope(answer.result) : null} asked={answer ? null : props.scopeLabel} testId="hotspot-scope" />
      {answer && <Summary answer={answer} />}
      {cellLines && (
        <div className={answer?.mode === 'gi' && cellLines.some((l) => l.startsWith('Warning')) ? 'note-warn' : 'message message--info'} data-testid="hotspot-cell">
          <h3 className="side-panel__section">Selected cell</h3>
          {cellLines.map((l) => (
            <p key={l}>{l}</p>
          ))}
        </div>
      )}
      {answer?.mode === 'gi' && (
        <TopTables
          answer={answer}
          periodText={periodText}
          scopeLabel={answerScope(answer.result)?.label ?? null}
          selectedSpot={props.selectedSpot}
          onSelectSpot={props.onSelectSpot}
          onExport={async () => {
            setExportError(null);
            try {
              await props.onExportTop();
            } catch (err) {
              setExportError(describeError(err));
            }
          }}
        />
      )}
      {exportError && <p className="message message--error" role="alert">The CSV could not be made: {exportError}</p>}
      {answer && (
        <>
          <h3 className="side-panel__section">How this was worked out</h3>
          <ul className="notes">
            {answer.result.notes.map((n) => (
              <li key={n}>{n}</li>
            ))}
          </ul>
        </>
      )}
    </PanelShell>
  );
}
