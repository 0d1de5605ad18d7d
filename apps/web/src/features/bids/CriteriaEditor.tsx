import { useState } from 'react';
import {
  BID_CATEGORY_OPTIONS,
  BID_PRESET_NOTE,
  BID_RULE_KINDS,
  CRIME_CATEGORIES,
  type BidCategorySelection,
  type BidRule,
  type BidRuleKind,
  type DatasetSummary,
  type EligibilityScope,
} from '@safer-places/schemas';
import { plural } from '../../shared/format';
import type { BidScope } from '../scope/scopeState';
import { categoriesText, defaultRule, ruleField, ruleLabel, scopeOfKind, withCategory, withoutList, withRuleValue, type PlaceNames } from './criteria';
import type { BidDraft } from './useBidDraft';

interface CriteriaEditorProps {
  /** The panel's id prefix for its form fields. */
  id: string;
  bid: BidDraft;
  dataset: DatasetSummary;
  names: PlaceNames;
  areas: { id: string; name: string }[];
}

/** Where to look: everywhere, chosen districts or CSPs, a partnership area or a drawn area. */
function ScopeFields({ id, bid, names, areas }: CriteriaEditorProps) {
  const { criteria, setCriteria } = bid;
  const setScope = (scope: BidScope) => setCriteria({ ...criteria, scope: scope as EligibilityScope });
  const bidScope = criteria.scope as BidScope;
  return (
    <>
      <label htmlFor={`${id}-scope`} className="field-label">Where</label>
      <select
        id={`${id}-scope`}
        value={bidScope.kind}
        onChange={(e) => {
          const scope = scopeOfKind(e.currentTarget.value as BidScope['kind'], names, areas);
          if (scope) setScope(scope);
        }}
      >
        <option value="all">All LSOAs in the dataset</option>
        <option value="districts" disabled={names.districts.length === 0}>Chosen districts</option>
        <option value="csps" disabled={names.csps.length === 0}>Chosen CSPs</option>
        <option value="partnership" disabled={names.partnerships.length === 0}>A partnership area</option>
        <option value="area" disabled={areas.length === 0}>A drawn area</option>
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
          {areas.map((a) => (
            <option key={a.id} value={a.id}>{a.name}</option>
          ))}
        </select>
      )}
    </>
  );
}

/** The crimes counted: funding groups and police.uk categories, in a disclosure. */
function CategoryFields({ id, bid }: CriteriaEditorProps) {
  const { criteria, setCriteria } = bid;
  const categories = (criteria.categories ?? []) as BidCategorySelection[];
  const toggle = (value: BidCategorySelection, on: boolean) => setCriteria(withCategory(criteria, value, on));
  return (
    <details className="multi-select">
      <summary>
        <span className="multi-select__label">Crimes:</span> {categoriesText(categories)}
      </summary>
      <fieldset className="multi-select__options">
        <legend className="visually-hidden">Crimes counted</legend>
        <div className="multi-select__group" role="group" aria-label="Funding groups">
          <p className="multi-select__group-title" aria-hidden="true">Funding groups</p>
          {BID_CATEGORY_OPTIONS.map((o) => (
            <div className="check" key={o.value} title={o.note}>
              <input type="checkbox" id={`${id}-cat-${o.value}`} checked={categories.includes(o.value)} onChange={(e) => toggle(o.value, e.currentTarget.checked)} />
              <label htmlFor={`${id}-cat-${o.value}`}>{o.label}</label>
            </div>
          ))}
        </div>
        <div className="multi-select__group" role="group" aria-label="police.uk categories">
          <p className="multi-select__group-title" aria-hidden="true">police.uk categories</p>
          {CRIME_CATEGORIES.filter((c) => c.slug !== 'anti-social-behaviour').map((c) => (
            <div className="check" key={c.slug}>
              <input type="checkbox" id={`${id}-cat-${c.slug}`} checked={categories.includes(c.slug)} onChange={(e) => toggle(c.slug, e.currentTarget.checked)} />
              <label htmlFor={`${id}-cat-${c.slug}`}>{c.label}</label>
            </div>
          ))}
        </div>
      </fieldset>
    </details>
  );
}

/** AND or OR, and the rules with their one number each. */
function RuleFields({ id, bid }: CriteriaEditorProps) {
  const { criteria, setCriteria } = bid;
  const rules = (criteria.rules ?? []) as BidRule[];
  const setRules = (next: BidRule[]) => setCriteria({ ...criteria, rules: next });
  return (
    <>
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
    </>
  );
}

/** An OPCC-provided list of LSOAs, pasted or from a CSV file, instead of the rules. */
function ListFields({ id, bid }: CriteriaEditorProps) {
  const { criteria, setCriteria } = bid;
  const [listText, setListText] = useState('');
  return (
    <details className="opcc-list">
      <summary>Use an OPCC-provided list of LSOAs instead{criteria.lsoaList ? ` (in use: ${plural(criteria.lsoaList.length, 'LSOA')})` : ''}</summary>
      <label htmlFor={`${id}-list`} className="field-label">Paste LSOA codes (any separators) or choose a CSV file</label>
      <textarea id={`${id}-list`} rows={3} value={listText} onChange={(e) => setListText(e.currentTarget.value)} placeholder="E01028001, E01028002 …" />
      <div className="button-row button-row--tight">
        <button type="button" className="button" onClick={() => bid.applyList(listText)}>Use this list</button>
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
              bid.applyList(text);
            }
          }}
        />
        {criteria.lsoaList && (
          <button type="button" className="link-button" onClick={() => setCriteria(withoutList(criteria))}>
            Stop using the list
          </button>
        )}
      </div>
    </details>
  );
}

/** The eligibility criteria: a preset to start from, where, which crimes, the 12 months, the rules or an OPCC list. */
export function CriteriaEditor(props: CriteriaEditorProps) {
  const { id, bid, dataset } = props;
  const { criteria, setCriteria } = bid;
  return (
    <section aria-label="Eligibility criteria" className="criteria">
      <h3 className="side-panel__section">Eligibility criteria</h3>
      <p className="note-warn" role="note">{BID_PRESET_NOTE}</p>
      <label htmlFor={`${id}-preset`} className="field-label">Start from a preset</label>
      <select id={`${id}-preset`} value={bid.presetId} onChange={(e) => bid.applyPreset(e.currentTarget.value)}>
        <option value="">Choose a preset…</option>
        {bid.presets.map((p) => (
          <option key={p.id} value={p.id}>{p.name}{p.builtIn ? '' : ' (yours)'}</option>
        ))}
      </select>

      <ScopeFields {...props} />
      <CategoryFields {...props} />

      <label htmlFor={`${id}-to`} className="field-label">12 months ending</label>
      <input
        id={`${id}-to`}
        type="month"
        value={criteria.to ?? dataset.lastMonth ?? ''}
        min={dataset.firstMonth ?? undefined}
        max={dataset.lastMonth ?? undefined}
        onChange={(e) => e.currentTarget.value && setCriteria({ ...criteria, to: e.currentTarget.value })}
      />

      <RuleFields {...props} />
      <ListFields {...props} />
    </section>
  );
}
