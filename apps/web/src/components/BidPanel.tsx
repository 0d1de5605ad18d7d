import { useEffect, useId, useMemo, useRef, useState } from 'react';
import {
  BID_CATEGORY_OPTIONS,
  BID_PRESET_NOTE,
  BID_ROUNDS,
  BID_RULE_KINDS,
  CRIME_CATEGORIES,
  DEFAULT_BUFFER_M,
  SAFER_STREETS_THEMES,
  SAFER_STREETS_THEME_LABELS,
  type Bid,
  type BidCategorySelection,
  type BidPreset,
  type BidRule,
  type BidRuleKind,
  type DatasetSummary,
  type EligibilityCriteriaInput,
  type EligibilityResult,
  type EligibilityScope,
  type ScopeOptions,
  type SelectionResult,
} from '@safer-places/schemas';
import { ScopeNote } from '../features/scope/ScopeNote';
import { answerScope, bidScopeWords, type BidScope } from '../features/scope/scopeState';
import { ApiError, describeError, type ApiClient, type LayerCollection } from '../api/client';
import { DEFAULT_BID_CRITERIA, defaultRule, formatMargin, parseLsoaList, ruleField, ruleLabel, toggleCodes, withRuleValue } from '../lib/bids';
import { fileNameFromDisposition, fileStem, saveBlob } from '../lib/download';
import { formatInteger, formatKm2, formatNumber, formatPercent, formatRate, plural } from '../lib/format';
import { periodLabel } from '../lib/period';
import { ConfirmDelete } from './ConfirmDelete';
import { PanelShell } from './SidePanel';

type Load<T> = { state: 'idle' } | { state: 'loading' } | { state: 'done'; value: T } | { state: 'error'; message: string };

export interface BidPanelProps {
  api: ApiClient;
  dataset: DatasetSummary;
  lsoas: LayerCollection | undefined;
  /** The organisation's drawn areas, for an "area" scope. */
  areas: { id: string; name: string }[];
  /** The places of the dataset (districts, CSPs, partnership areas) from the place picker; null while not loaded. */
  places: ScopeOptions | null;
  /** The eligibility scope the session's place maps to: where the criteria start, and follow when the place changes. */
  sessionScope: BidScope;
  sessionScopeKey: string | null;
  canWrite: boolean;
  canSaveSaferStreets: boolean;
  selection: string[];
  onSelection(codes: string[]): void;
  /** The eligible LSOAs, for the map. */
  onEligible(codes: string[]): void;
  /** The target area, buffer and comparison area, for the map. */
  onSelectionResult(result: SelectionResult | null): void;
  lassoActive: boolean;
  onLasso(on: boolean): void;
  onSavedSaferStreets(id: string): Promise<void>;
  announce(message: string): void;
  onClose(): void;
}

const ROUND_LABELS: Record<string, string> = { R1: 'Round 1', R2: 'Round 2', R3: 'Round 3', R4: 'Round 4', R5: 'Round 5', other: 'Other' };
const SHOWN_ROWS = 60;

/** The bid writer's panel: criteria → eligible LSOAs → the chosen target area → a saved draft and its evidence pack. */
export function BidPanel(props: BidPanelProps) {
  const id = useId();
  const { api, dataset, onEligible, onSelectionResult } = props;
  const [drafts, setDrafts] = useState<Bid[]>([]);
  const [draft, setDraft] = useState<{ id: string; version: number } | null>(null);
  const [name, setName] = useState('');
  const [round, setRound] = useState<(typeof BID_ROUNDS)[number] | ''>('');
  const [notes, setNotes] = useState('');
  const [criteria, setCriteria] = useState<EligibilityCriteriaInput>(() => ({ ...DEFAULT_BID_CRITERIA, scope: props.sessionScope as EligibilityScope }));
  const [presets, setPresets] = useState<BidPreset[]>([]);
  const [presetId, setPresetId] = useState('');
  const [listText, setListText] = useState('');
  const [bufferM, setBufferM] = useState(DEFAULT_BUFFER_M);
  const [eligibility, setEligibility] = useState<Load<EligibilityResult>>({ state: 'idle' });
  const [target, setTarget] = useState<Load<SelectionResult>>({ state: 'idle' });
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ kind: 'error' | 'info'; text: string } | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [ssForm, setSsForm] = useState<null | { name: string; round: string; theme: string; amountGbp: string; startDate: string; endDate: string }>(null);

  // Presets and the organisation's drafts, once.
  useEffect(() => {
    api.bidPresets().then((p) => setPresets(p.items), () => setPresets([]));
    api.listAssets('bids').then((r) => setDrafts(r.items), () => setDrafts([]));
  }, [api]);

  // A new place for the session is where the criteria look next (an opened draft keeps its own until then).
  const firstScopeKey = useRef(props.sessionScopeKey);
  useEffect(() => {
    if (props.sessionScopeKey === firstScopeKey.current) return;
    firstScopeKey.current = props.sessionScopeKey;
    setCriteria((c) => ({ ...c, scope: props.sessionScope as EligibilityScope }));
  }, [props.sessionScopeKey]);

  // Eligibility follows the criteria (debounced: typing a threshold should not fire a request per key).
  const criteriaKey = JSON.stringify(criteria);
  useEffect(() => {
    const controller = new AbortController();
    setEligibility({ state: 'loading' });
    const t = setTimeout(() => {
      api
        .eligibility({ criteria, dataset: dataset.id }, controller.signal)
        .then((value) => {
          setEligibility({ state: 'done', value });
          onEligible(value.lsoas.filter((l) => l.passes).map((l) => l.code));
        })
        .catch((err) => {
          if ((err as Error).name === 'AbortError') return;
          setEligibility({ state: 'error', message: describeError(err) });
          onEligible([]);
        });
    }, 300);
    return () => {
      clearTimeout(t);
      controller.abort();
    };
  }, [criteriaKey, dataset.id, dataset.version]);

  // The target area's figures follow the selection.
  const selectionKey = `${props.selection.join(',')}|${bufferM}|${JSON.stringify(criteria.categories)}|${criteria.to ?? ''}`;
  useEffect(() => {
    if (props.selection.length === 0) {
      setTarget({ state: 'idle' });
      onSelectionResult(null);
      return;
    }
    const controller = new AbortController();
    setTarget({ state: 'loading' });
    const t = setTimeout(() => {
      api
        .bidSelection(
          { codes: props.selection, dataset: dataset.id, bufferM, categories: criteria.categories, ...(criteria.to && { to: criteria.to }) },
          controller.signal,
        )
        .then((value) => {
          setTarget({ state: 'done', value });
          onSelectionResult(value);
        })
        .catch((err) => {
          if ((err as Error).name === 'AbortError') return;
          setTarget({ state: 'error', message: describeError(err) });
          onSelectionResult(null);
        });
    }, 250);
    return () => {
      clearTimeout(t);
      controller.abort();
    };
  }, [selectionKey, dataset.id, dataset.version]);

  const names = useMemo(() => {
    const districts = new Map<string, string>();
    const csps = new Map<string, string>();
    const partnerships = (props.places?.partnerships ?? []).map((p) => [p.key.replace(/^partnership:/, ''), p.label] as [string, string]);
    for (const d of props.places?.districts ?? []) districts.set(d.key.replace(/^district:/, ''), d.label);
    for (const c of props.places?.csps ?? []) csps.set(c.key.replace(/^csp:/, ''), c.label);
    for (const f of props.places ? [] : (props.lsoas?.features ?? [])) {
      const p = f.properties;
      if (p.districtCode) districts.set(String(p.districtCode), String(p.districtName ?? p.districtCode));
      if (p.cspCode) csps.set(String(p.cspCode), String(p.cspName ?? p.cspCode));
    }
    const sort = (m: Map<string, string>) => [...m].sort((a, b) => a[1].localeCompare(b[1], 'en-GB'));
    return { districts: sort(districts), csps: sort(csps), partnerships: partnerships.sort((a, b) => a[1].localeCompare(b[1], 'en-GB')) };
  }, [props.lsoas, props.places]);

  const setScope = (scope: BidScope) => setCriteria({ ...criteria, scope: scope as EligibilityScope });
  const bidScope = criteria.scope as BidScope;
  const setRules = (rules: BidRule[]) => setCriteria({ ...criteria, rules });
  const rules = (criteria.rules ?? []) as BidRule[];
  const result = eligibility.state === 'done' ? eligibility.value : null;
  const sel = target.state === 'done' ? target.value : null;
  const selected = new Set(props.selection);

  const applyPreset = (pid: string) => {
    setPresetId(pid);
    const p = presets.find((x) => x.id === pid);
    if (!p) return;
    setCriteria(p.criteria);
    if (!round) setRound(p.round);
    props.announce(`Preset “${p.name}” applied. Check its thresholds against the prospectus.`);
  };

  const useList = (text: string) => {
    const { codes, ignored } = parseLsoaList(text);
    if (codes.length === 0) {
      setMessage({ kind: 'error', text: 'No LSOA codes found in the list (they look like E01033401).' });
      return;
    }
    setCriteria({ ...criteria, lsoaList: codes });
    setMessage({ kind: 'info', text: `Using the list of ${plural(codes.length, 'LSOA')} as the eligibility set${ignored > 0 ? `; ${plural(ignored, 'malformed code')} skipped` : ''}.` });
  };

  const openDraft = (bid: Bid) => {
    setDraft({ id: bid.id, version: bid.version });
    setName(bid.name);
    setRound(bid.round ?? '');
    setNotes(bid.notes ?? '');
    setCriteria(bid.criteria);
    setBufferM(bid.bufferM ?? DEFAULT_BUFFER_M);
    props.onSelection(bid.selection);
    setMessage(null);
  };

  const saveDraft = async () => {
    if (!name.trim()) {
      setMessage({ kind: 'error', text: 'Give the bid a name before saving it.' });
      return;
    }
    setBusy(true);
    setMessage(null);
    const input = {
      name: name.trim(),
      ...(round && { round }),
      ...(notes.trim() && { notes: notes.trim() }),
      criteria,
      selection: props.selection,
      bufferM,
    };
    try {
      const saved = draft ? await api.updateAsset('bids', draft.id, draft.version, input as never) : await api.createAsset('bids', input as never);
      setDraft({ id: saved.id, version: saved.version });
      setDrafts((list) => [...list.filter((b) => b.id !== saved.id), saved as Bid].sort((a, b) => a.name.localeCompare(b.name, 'en-GB')));
      props.announce(`Bid “${saved.name}” saved.`);
    } catch (err) {
      setMessage({
        kind: 'error',
        text: err instanceof ApiError && err.status === 409 ? 'Someone else saved this bid since you opened it. Open it again to see their version; your changes are still here.' : `The bid could not be saved: ${describeError(err)}`,
      });
    } finally {
      setBusy(false);
    }
  };

  const deleteDraft = async () => {
    if (!draft) return;
    setBusy(true);
    try {
      await api.deleteAsset('bids', draft.id, draft.version);
      setDrafts((list) => list.filter((b) => b.id !== draft.id));
      setDraft(null);
      setName('');
      setConfirmDelete(false);
      props.announce('Bid deleted.');
    } catch (err) {
      setMessage({ kind: 'error', text: `The bid could not be deleted: ${describeError(err)}` });
    } finally {
      setBusy(false);
    }
  };

  const downloadPack = async () => {
    if (!draft) return;
    setBusy(true);
    setMessage(null);
    try {
      const file = await api.downloadBidPack(draft.id, dataset.id);
      saveBlob(file.blob, fileNameFromDisposition(file.disposition, `${fileStem(name, 'bid')}-evidence-pack.zip`));
    } catch (err) {
      setMessage({ kind: 'error', text: `The evidence pack could not be made: ${describeError(err)}` });
    } finally {
      setBusy(false);
    }
  };

  const openReport = async () => {
    if (!draft) return;
    const view = window.open('', '_blank');
    try {
      const file = await api.downloadBidReport(draft.id, dataset.id);
      const url = URL.createObjectURL(new Blob([file.blob], { type: 'text/html' }));
      if (view) view.location.href = url;
      else saveBlob(file.blob, `${fileStem(name, 'bid')}-report.html`);
    } catch (err) {
      view?.close();
      setMessage({ kind: 'error', text: `The report could not be made: ${describeError(err)}` });
    }
  };

  const saveSaferStreets = async () => {
    if (!ssForm || !sel) return;
    setBusy(true);
    setMessage(null);
    try {
      const item = await api.createAsset('safer-streets-areas', {
        name: ssForm.name.trim(),
        round: ssForm.round as never,
        theme: ssForm.theme as never,
        amountGbp: Number(ssForm.amountGbp),
        startDate: ssForm.startDate,
        endDate: ssForm.endDate,
        geometry: sel.target,
      });
      setSsForm(null);
      await props.onSavedSaferStreets(item.id);
      props.announce(`Safer Streets area “${item.name}” saved to the map.`);
    } catch (err) {
      setMessage({ kind: 'error', text: `The Safer Streets area could not be saved: ${describeError(err)}` });
    } finally {
      setBusy(false);
    }
  };

  const categories = (criteria.categories ?? []) as BidCategorySelection[];
  const toggleCategory = (value: BidCategorySelection, on: boolean) => {
    const next = on ? [...categories, value] : categories.filter((c) => c !== value);
    setCriteria({ ...criteria, categories: next.length > 0 ? next : ['all-crime'] });
  };

  return (
    <PanelShell title="Bid: eligible LSOAs and target area" subtitle={dataset.name} onClose={props.onClose} testId="bid-panel" className="side-panel--area">
      <section aria-label="Bid draft">
        <h3 className="side-panel__section">Bid draft</h3>
        <div className="field-row">
          <div>
            <label htmlFor={`${id}-open`} className="field-label">Open a saved bid</label>
            <select id={`${id}-open`} value={draft?.id ?? ''} onChange={(e) => {
              const b = drafts.find((x) => x.id === e.currentTarget.value);
              if (b) openDraft(b);
            }}>
              <option value="">{drafts.length === 0 ? 'No saved bids yet' : 'Choose…'}</option>
              {drafts.map((b) => (
                <option key={b.id} value={b.id}>{b.name}</option>
              ))}
            </select>
          </div>
          <div>
            <label htmlFor={`${id}-round`} className="field-label">Funding round</label>
            <select id={`${id}-round`} value={round} onChange={(e) => setRound(e.currentTarget.value as typeof round)}>
              <option value="">Not set</option>
              {BID_ROUNDS.map((r) => (
                <option key={r} value={r}>{ROUND_LABELS[r]}</option>
              ))}
            </select>
          </div>
        </div>
        <label htmlFor={`${id}-name`} className="field-label">Bid name</label>
        <input id={`${id}-name`} type="text" value={name} maxLength={120} onChange={(e) => setName(e.currentTarget.value)} placeholder="e.g. Mansfield town centre, Round 6" />
        <label htmlFor={`${id}-notes`} className="field-label">Notes</label>
        <textarea id={`${id}-notes`} value={notes} maxLength={2000} rows={2} onChange={(e) => setNotes(e.currentTarget.value)} />
      </section>

      <section aria-label="Eligibility criteria">
        <h3 className="side-panel__section">Eligibility criteria</h3>
        <p className="note-warn" role="note">{BID_PRESET_NOTE}</p>
        <label htmlFor={`${id}-preset`} className="field-label">Start from a preset</label>
        <select id={`${id}-preset`} value={presetId} onChange={(e) => applyPreset(e.currentTarget.value)}>
          <option value="">Choose a preset…</option>
          {presets.map((p) => (
            <option key={p.id} value={p.id}>{p.name}{p.builtIn ? '' : ' (yours)'}</option>
          ))}
        </select>

        <label htmlFor={`${id}-scope`} className="field-label">Where</label>
        <select
          id={`${id}-scope`}
          value={bidScope.kind}
          onChange={(e) => {
            const kind = e.currentTarget.value as BidScope['kind'];
            if (kind === 'all') setScope({ kind });
            else if (kind === 'districts' && names.districts[0]) setScope({ kind, codes: [names.districts[0][0]] });
            else if (kind === 'csps' && names.csps[0]) setScope({ kind, codes: [names.csps[0][0]] });
            else if (kind === 'partnership' && names.partnerships[0]) setScope({ kind, id: names.partnerships[0][0] });
            else if (kind === 'area' && props.areas[0]) setScope({ kind, areaId: props.areas[0].id });
          }}
        >
          <option value="all">All LSOAs in the dataset</option>
          <option value="districts" disabled={names.districts.length === 0}>Chosen districts</option>
          <option value="csps" disabled={names.csps.length === 0}>Chosen CSPs</option>
          <option value="partnership" disabled={names.partnerships.length === 0}>A partnership area</option>
          <option value="area" disabled={props.areas.length === 0}>A drawn area</option>
        </select>
        {bidScope.kind === 'partnership' && (
          <select aria-label="Partnership area" value={bidScope.id} onChange={(e) => setScope({ kind: 'partnership', id: e.currentTarget.value })}>
            {names.partnerships.map(([pid, label]) => (
              <option key={pid} value={pid}>{label}</option>
            ))}
            {!names.partnerships.some(([pid]) => pid === bidScope.id) && <option value={bidScope.id}>Partnership area {bidScope.id}</option>}
          </select>
        )}
        {(criteria.scope.kind === 'districts' || criteria.scope.kind === 'csps') && (
          <fieldset className="multi-select__options multi-select__options--inline">
            <legend className="visually-hidden">{criteria.scope.kind === 'districts' ? 'Districts' : 'CSPs'}</legend>
            {(criteria.scope.kind === 'districts' ? names.districts : names.csps).map(([code, label]) => {
              const scope = criteria.scope as Extract<EligibilityScope, { kind: 'districts' | 'csps' }>;
              const on = scope.codes.includes(code);
              return (
                <div className="check" key={code}>
                  <input
                    type="checkbox"
                    id={`${id}-scope-${code}`}
                    checked={on}
                    onChange={(e) => {
                      const codes = e.currentTarget.checked ? [...scope.codes, code] : scope.codes.filter((c) => c !== code);
                      if (codes.length > 0) setScope({ kind: scope.kind, codes });
                    }}
                  />
                  <label htmlFor={`${id}-scope-${code}`}>{label}</label>
                </div>
              );
            })}
          </fieldset>
        )}
        {criteria.scope.kind === 'area' && (
          <select aria-label="Drawn area" value={criteria.scope.areaId} onChange={(e) => setScope({ kind: 'area', areaId: e.currentTarget.value })}>
            {props.areas.map((a) => (
              <option key={a.id} value={a.id}>{a.name}</option>
            ))}
          </select>
        )}

        <details className="multi-select">
          <summary>
            <span className="multi-select__label">Crimes:</span> {categories.map((c) => BID_CATEGORY_OPTIONS.find((o) => o.value === c)?.label ?? CRIME_CATEGORIES.find((x) => x.slug === c)?.label ?? c).join(', ')}
          </summary>
          <fieldset className="multi-select__options">
            <legend className="visually-hidden">Crimes counted</legend>
            <div className="multi-select__group" role="group" aria-label="Funding groups">
              <p className="multi-select__group-title" aria-hidden="true">Funding groups</p>
              {BID_CATEGORY_OPTIONS.map((o) => (
                <div className="check" key={o.value} title={o.note}>
                  <input type="checkbox" id={`${id}-cat-${o.value}`} checked={categories.includes(o.value)} onChange={(e) => toggleCategory(o.value, e.currentTarget.checked)} />
                  <label htmlFor={`${id}-cat-${o.value}`}>{o.label}</label>
                </div>
              ))}
            </div>
            <div className="multi-select__group" role="group" aria-label="police.uk categories">
              <p className="multi-select__group-title" aria-hidden="true">police.uk categories</p>
              {CRIME_CATEGORIES.filter((c) => c.slug !== 'anti-social-behaviour').map((c) => (
                <div className="check" key={c.slug}>
                  <input type="checkbox" id={`${id}-cat-${c.slug}`} checked={categories.includes(c.slug)} onChange={(e) => toggleCategory(c.slug, e.currentTarget.checked)} />
                  <label htmlFor={`${id}-cat-${c.slug}`}>{c.label}</label>
                </div>
              ))}
            </div>
          </fieldset>
        </details>

        <label htmlFor={`${id}-to`} className="field-label">12 months ending</label>
        <input
          id={`${id}-to`}
          type="month"
          value={criteria.to ?? dataset.lastMonth ?? ''}
          min={dataset.firstMonth ?? undefined}
          max={dataset.lastMonth ?? undefined}
          onChange={(e) => e.currentTarget.value && setCriteria({ ...criteria, to: e.currentTarget.value })}
        />

        <fieldset className="control-group control-group--plain">
          <legend className="field-label">An LSOA is eligible when it passes</legend>
          {(['and', 'or'] as const).map((c) => (
            <div className="radio" key={c}>
              <input type="radio" id={`${id}-combine-${c}`} name={`${id}-combine`} checked={(criteria.combine ?? 'and') === c} onChange={() => setCriteria({ ...criteria, combine: c })} />
              <label htmlFor={`${id}-combine-${c}`}>{c === 'and' ? 'every rule (AND)' : 'any rule (OR)'}</label>
            </div>
          ))}
        </fieldset>
        <ul className="rule-list" aria-label="Rules">
          {rules.map((rule, i) => {
            const f = ruleField(rule);
            return (
              <li key={`${rule.kind}-${i}`} className="rule-list__item">
                <label htmlFor={`${id}-rule-${i}`}>{ruleLabel(rule.kind)}</label>
                <span className="rule-list__input">
                  <input
                    id={`${id}-rule-${i}`}
                    type="number"
                    value={f.value}
                    min={f.min}
                    max={f.max}
                    step={f.step}
                    onChange={(e) => {
                      const v = e.currentTarget.valueAsNumber;
                      if (Number.isFinite(v)) setRules(rules.map((r, k) => (k === i ? withRuleValue(r, Math.min(f.max, Math.max(f.min, v))) : r)));
                    }}
                  />
                  <span className="unit">{f.unit}</span>
                  <button type="button" className="link-button" onClick={() => setRules(rules.filter((_, k) => k !== i))} aria-label={`Remove rule: ${ruleLabel(rule.kind)}`}>
                    Remove
                  </button>
                </span>
              </li>
            );
          })}
        </ul>
        <label htmlFor={`${id}-add-rule`} className="visually-hidden">Add a rule</label>
        <select id={`${id}-add-rule`} value="" onChange={(e) => e.currentTarget.value && setRules([...rules, defaultRule(e.currentTarget.value as BidRuleKind)])}>
          <option value="">Add a rule…</option>
          {BID_RULE_KINDS.map((k) => (
            <option key={k} value={k}>{ruleLabel(k)}</option>
          ))}
        </select>

        <details className="opcc-list">
          <summary>Use an OPCC-provided list of LSOAs instead{criteria.lsoaList ? ` (in use: ${plural(criteria.lsoaList.length, 'LSOA')})` : ''}</summary>
          <label htmlFor={`${id}-list`} className="field-label">Paste LSOA codes (any separators) or choose a CSV file</label>
          <textarea id={`${id}-list`} rows={3} value={listText} onChange={(e) => setListText(e.currentTarget.value)} placeholder="E01028001, E01028002 …" />
          <div className="button-row button-row--tight">
            <button type="button" className="button" onClick={() => useList(listText)}>Use this list</button>
            <label className="button" htmlFor={`${id}-list-file`}>Choose CSV…</label>
            <input
              id={`${id}-list-file`}
              className="visually-hidden"
              type="file"
              accept=".csv,.txt,text/csv,text/plain"
              onChange={async (e) => {
                const file = e.currentTarget.files?.[0];
                if (file) {
                  const text = await file.text();
                  setListText(text);
                  useList(text);
                }
              }}
            />
            {criteria.lsoaList && (
              <button type="button" className="link-button" onClick={() => {
                const { lsoaList: _drop, ...rest } = criteria;
                setCriteria(rest);
              }}>
                Stop using the list
              </button>
            )}
          </div>
        </details>
      </section>

      <section aria-label="Eligible LSOAs" aria-live="polite">
        <h3 className="side-panel__section">Eligible LSOAs</h3>
        {eligibility.state === 'loading' && <p className="hint" role="status" data-testid="bid-eligibility-loading">Checking every LSOA…</p>}
        {eligibility.state === 'error' && <p className="message message--error" role="alert">The criteria could not be applied: {eligibility.message}</p>}
        {result && (
          <>
            <ScopeNote summary={answerScope(result)} asked={bidScopeWords(bidScope, names, props.areas)} testId="bid-scope" />
            <p data-testid="bid-eligible-summary">
              <strong>{formatInteger(result.eligible)}</strong> of {formatInteger(result.scopeLsoas)} LSOAs eligible ·{' '}
              {result.categories.map((c) => c.label).join(', ')}, {periodLabel(result.period.from, result.period.to)}
              {result.averageRate !== null && <> · force-area average {formatRate(result.averageRate)} per 1,000 residents</>}
            </p>
            <div className="button-row button-row--tight">
              <button
                type="button"
                className="button"
                disabled={result.eligible === 0}
                onClick={() => props.onSelection(toggleCodes(props.selection, result.lsoas.filter((l) => l.passes).map((l) => l.code)))}
              >
                Select all eligible
              </button>
              {props.selection.length > 0 && (
                <button type="button" className="button" onClick={() => props.onSelection([])}>Clear the selection</button>
              )}
            </div>
            <div className="table-wrap table-wrap--scroll">
              <table className="data-table data-table--compact" data-testid="bid-eligibility-table">
                <caption className="visually-hidden">LSOAs ranked by rate, eligible first</caption>
                <thead>
                  <tr>
                    <th scope="col">In bid</th>
                    <th scope="col">LSOA</th>
                    <th scope="col" className="num">Rate per 1,000</th>
                    <th scope="col" className="num">Crimes</th>
                    <th scope="col" className="num">Decile</th>
                    <th scope="col">Rules</th>
                  </tr>
                </thead>
                <tbody>
                  {result.lsoas.slice(0, SHOWN_ROWS).map((l) => (
                    <tr key={l.code} className={l.passes ? 'is-eligible' : undefined}>
                      <td>
                        <input
                          type="checkbox"
                          aria-label={`Include ${l.name} (${l.code}) in the bid`}
                          checked={selected.has(l.code)}
                          onChange={() => props.onSelection(toggleCodes(props.selection, [l.code]))}
                        />
                      </td>
                      <th scope="row">
                        {l.name}
                        <span className="cell-sub">{l.code}{l.passes ? ' · eligible' : ''}</span>
                      </th>
                      <td className="num">{l.rate === null ? '—' : formatRate(l.rate)}</td>
                      <td className="num">{formatInteger(l.count)}</td>
                      <td className="num">{l.decile ?? '—'}</td>
                      <td>
                        {l.rules.map((r) => (
                          <span key={r.kind} className={`rule-chip${r.pass ? ' rule-chip--pass' : ''}`} title={r.label}>
                            {r.pass ? '✓' : '✗'} {formatMargin(r.kind, r.margin)}
                          </span>
                        ))}
                        {l.inList && <span className="rule-chip rule-chip--pass">✓ list</span>}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            {result.lsoas.length > SHOWN_ROWS && <p className="hint">The first {SHOWN_ROWS} of {formatInteger(result.lsoas.length)} LSOAs; every eligible one is marked on the map.</p>}
            {result.notes.length > 0 && (
              <ul className="notes">
                {result.notes.map((n) => (
                  <li key={n}>{n}</li>
                ))}
              </ul>
            )}
          </>
        )}
      </section>

      <section aria-label="Target area">
        <h3 className="side-panel__section">Target area</h3>
        <p className="hint">Click LSOAs on the map to add or remove them, or draw round several with the lasso.</p>
        <div className="button-row button-row--tight">
          <button type="button" className="button" aria-pressed={props.lassoActive} onClick={() => props.onLasso(!props.lassoActive)}>
            {props.lassoActive ? 'Cancel lasso' : 'Lasso LSOAs'}
          </button>
        </div>
        <label htmlFor={`${id}-buffer`} className="field-label">Displacement buffer (metres)</label>
        <input id={`${id}-buffer`} type="number" min={0} max={5000} step={50} value={bufferM} onChange={(e) => Number.isFinite(e.currentTarget.valueAsNumber) && setBufferM(Math.min(5000, Math.max(0, Math.round(e.currentTarget.valueAsNumber))))} />
        {props.selection.length === 0 && <p className="hint" data-testid="bid-no-selection">No LSOAs chosen yet.</p>}
        {target.state === 'loading' && <p className="hint" role="status">Working out the target area…</p>}
        {target.state === 'error' && <p className="message message--error" role="alert">{target.message}</p>}
        {sel && (
          <div data-testid="bid-totals">
            <dl className="attributes">
              <dt>LSOAs</dt>
              <dd data-testid="bid-total-lsoas">{formatInteger(sel.totals.lsoas)}</dd>
              <dt>Area</dt>
              <dd>{formatKm2(sel.totals.areaKm2)}</dd>
              <dt>Residents</dt>
              <dd>{formatInteger(sel.totals.residents)}{sel.totals.populationUnknown > 0 ? ` (${plural(sel.totals.populationUnknown, 'LSOA')} without a figure)` : ''}</dd>
              <dt>Crimes, {periodLabel(sel.period.from, sel.period.to)}</dt>
              <dd data-testid="bid-total-crimes">
                {formatInteger(sel.totals.crimes)}
                {sel.totals.rate !== null && ` (${formatRate(sel.totals.rate)} per 1,000 residents)`}
              </dd>
              <dt>Previous 12 months</dt>
              <dd>
                {formatInteger(sel.totals.previousCrimes)}; change {sel.totals.change > 0 ? '+' : ''}
                {formatInteger(sel.totals.change)}
                {sel.totals.changePercent !== null && ` (${sel.totals.changePercent > 0 ? '+' : ''}${formatNumber(sel.totals.changePercent, 1)} %)`}
              </dd>
              <dt>Inside</dt>
              <dd>
                {plural(sel.inside.cameras, 'camera')}, {plural(sel.inside.helpPoints, 'help point')}, {plural(sel.inside.pspoZones, 'PSPO zone')}
              </dd>
            </dl>
            {sel.groups.length > 1 ? (
              <p className="note-warn" role="note" data-testid="bid-contiguity">
                The chosen LSOAs form {sel.groups.length} separate groups ({sel.groups.map((g) => g.length).join(' + ')} LSOAs). Funders usually expect one
                contiguous target area: add the LSOAs between them, or bid for the groups separately.
              </p>
            ) : (
              <p className="hint" data-testid="bid-contiguity">The chosen LSOAs form one contiguous area.</p>
            )}
            <h4 className="side-panel__subsection">Suggested comparison area</h4>
            <p className="hint">{sel.comparison.method}</p>
            <ul className="plain-list" data-testid="bid-comparison">
              {sel.comparison.lsoas.map((c) => (
                <li key={c.code}>
                  {c.name} ({c.code}): {c.rate === null ? 'rate unknown' : `${formatRate(c.rate)} per 1,000`}
                  {c.trend !== null && `, trend ${c.trend > 0 ? '+' : ''}${formatPercent(c.trend)}`}
                  {c.decile !== null && `, decile ${c.decile}`}
                </li>
              ))}
            </ul>
          </div>
        )}
      </section>

      <section aria-label="Save and export">
        <h3 className="side-panel__section">Save and export</h3>
        {message && (
          <p className={`message message--${message.kind === 'error' ? 'error' : 'info'}`} role={message.kind === 'error' ? 'alert' : 'status'}>
            {message.text}
          </p>
        )}
        {props.canWrite ? (
          <div className="button-row">
            <button type="button" className="button button--primary" onClick={saveDraft} disabled={busy}>
              {draft ? 'Save changes' : 'Save bid draft'}
            </button>
            {draft && !confirmDelete && (
              <button type="button" className="button button--danger-outline" onClick={() => setConfirmDelete(true)} disabled={busy}>
                Delete
              </button>
            )}
          </div>
        ) : (
          <p className="hint">Your role can look at bids but not save them.</p>
        )}
        {confirmDelete && <ConfirmDelete prompt={`Delete the bid “${name}”? This cannot be undone.`} busy={busy} onConfirm={deleteDraft} onCancel={() => setConfirmDelete(false)} />}
        <div className="button-row">
          <button type="button" className="button" onClick={downloadPack} disabled={busy || !draft || props.selection.length === 0}>
            Download evidence pack (zip)
          </button>
          <button type="button" className="button" onClick={openReport} disabled={busy || !draft || props.selection.length === 0}>
            Open the report
          </button>
        </div>
        <p className="hint">
          {draft ? 'The pack holds the printable report (HTML, print to PDF), the LSOA table (CSV) and the target, comparison and buffer areas (GeoJSON), for the saved bid.' : 'Save the bid to download its evidence pack.'}
        </p>
        {props.canSaveSaferStreets && sel && !ssForm && (
          <button
            type="button"
            className="button"
            onClick={() => setSsForm({ name: name || 'Target area', round: round || 'other', theme: 'neighbourhood', amountGbp: '0', startDate: '', endDate: '' })}
          >
            Save the target area as a Safer Streets area…
          </button>
        )}
        {ssForm && (
          <form className="asset-form" aria-label="Save as a Safer Streets area" onSubmit={(e) => {
            e.preventDefault();
            void saveSaferStreets();
          }}>
            <label htmlFor={`${id}-ss-name`} className="field-label">Name</label>
            <input id={`${id}-ss-name`} required value={ssForm.name} onChange={(e) => setSsForm({ ...ssForm, name: e.currentTarget.value })} />
            <div className="field-row">
              <div>
                <label htmlFor={`${id}-ss-round`} className="field-label">Round</label>
                <select id={`${id}-ss-round`} value={ssForm.round} onChange={(e) => setSsForm({ ...ssForm, round: e.currentTarget.value })}>
                  {BID_ROUNDS.map((r) => (
                    <option key={r} value={r}>{ROUND_LABELS[r]}</option>
                  ))}
                </select>
              </div>
              <div>
                <label htmlFor={`${id}-ss-theme`} className="field-label">Theme</label>
                <select id={`${id}-ss-theme`} value={ssForm.theme} onChange={(e) => setSsForm({ ...ssForm, theme: e.currentTarget.value })}>
                  {SAFER_STREETS_THEMES.map((t) => (
                    <option key={t} value={t}>{SAFER_STREETS_THEME_LABELS[t]}</option>
                  ))}
                </select>
              </div>
            </div>
            <label htmlFor={`${id}-ss-amount`} className="field-label">Amount (£)</label>
            <input id={`${id}-ss-amount`} type="number" min={0} max={10_000_000} step={1} required value={ssForm.amountGbp} onChange={(e) => setSsForm({ ...ssForm, amountGbp: e.currentTarget.value })} />
            <div className="field-row">
              <div>
                <label htmlFor={`${id}-ss-start`} className="field-label">Start date</label>
                <input id={`${id}-ss-start`} type="date" required value={ssForm.startDate} onChange={(e) => setSsForm({ ...ssForm, startDate: e.currentTarget.value })} />
              </div>
              <div>
                <label htmlFor={`${id}-ss-end`} className="field-label">End date</label>
                <input id={`${id}-ss-end`} type="date" required value={ssForm.endDate} onChange={(e) => setSsForm({ ...ssForm, endDate: e.currentTarget.value })} />
              </div>
            </div>
            <div className="button-row">
              <button type="submit" className="button button--primary" disabled={busy}>Save to the map</button>
              <button type="button" className="button" onClick={() => setSsForm(null)} disabled={busy}>Cancel</button>
            </div>
          </form>
        )}
      </section>
    </PanelShell>
  );
}
