import { useId, useMemo } from 'react';
import { BID_ROUNDS, type DatasetSummary, type ScopeOptions, type SelectionResult } from '@safer-places/schemas';
import type { ApiClient, LayerCollection } from '../../api/client';
import { PanelShell } from '../../shared/PanelShell';
import type { BidScope } from '../scope/scopeState';
import { BidExports } from './BidExports';
import { CriteriaEditor } from './CriteriaEditor';
import { EligibleTable } from './EligibleTable';
import { TargetAreaSection } from './TargetAreaSection';
import { ROUND_LABELS, placeNames, type BidRound } from './criteria';
import { useBidDraft, type BidDraft } from './useBidDraft';

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

/** The draft itself: open a saved bid, its funding round, name and notes. */
function DraftSection({ id, bid }: { id: string; bid: BidDraft }) {
  return (
    <section aria-label="Bid draft">
      <h3 className="side-panel__section">Bid draft</h3>
      <div className="field-row">
        <div>
          <label htmlFor={`${id}-open`} className="field-label">Open a saved bid</label>
          <select id={`${id}-open`} value={bid.draft?.id ?? ''} onChange={(e) => {
            const b = bid.drafts.find((x) => x.id === e.currentTarget.value);
            if (b) bid.openDraft(b);
          }}>
            <option value="">{bid.drafts.length === 0 ? 'No saved bids yet' : 'Choose…'}</option>
            {bid.drafts.map((b) => (
              <option key={b.id} value={b.id}>{b.name}</option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor={`${id}-round`} className="field-label">Funding round</label>
          <select id={`${id}-round`} value={bid.round} onChange={(e) => bid.setRound(e.currentTarget.value as BidRound | '')}>
            <option value="">Not set</option>
            {BID_ROUNDS.map((r) => (
              <option key={r} value={r}>{ROUND_LABELS[r]}</option>
            ))}
          </select>
        </div>
      </div>
      <label htmlFor={`${id}-name`} className="field-label">Bid name</label>
      <input id={`${id}-name`} type="text" value={bid.name} maxLength={120} onChange={(e) => bid.setName(e.currentTarget.value)} placeholder="e.g. Mansfield town centre, Round 6" />
      <label htmlFor={`${id}-notes`} className="field-label">Notes</label>
      <textarea id={`${id}-notes`} value={bid.notes} maxLength={2000} rows={2} onChange={(e) => bid.setNotes(e.currentTarget.value)} />
    </section>
  );
}

/** The bid writer's panel: criteria → eligible LSOAs → the chosen target area → a saved draft and its evidence pack. */
export function BidPanel(props: BidPanelProps) {
  const id = useId();
  const bid = useBidDraft(props);
  const names = useMemo(() => placeNames(props.places, props.lsoas), [props.lsoas, props.places]);
  return (
    <PanelShell title="Bid: eligible LSOAs and target area" subtitle={props.dataset.name} onClose={props.onClose} testId="bid-panel" className="side-panel--area">
      <DraftSection id={id} bid={bid} />
      <CriteriaEditor id={id} bid={bid} dataset={props.dataset} names={names} areas={props.areas} />
      <EligibleTable eligibility={bid.eligibility} scope={bid.criteria.scope as BidScope} names={names} areas={props.areas} selection={props.selection} onSelection={props.onSelection} />
      <TargetAreaSection
        id={id}
        selection={props.selection}
        target={bid.target}
        bufferM={bid.bufferM}
        onBufferM={bid.setBufferM}
        lassoActive={props.lassoActive}
        onLasso={props.onLasso}
      />
      <BidExports id={id} bid={bid} selection={props.selection} canWrite={props.canWrite} canSaveSaferStreets={props.canSaveSaferStreets} />
    </PanelShell>
  );
}
