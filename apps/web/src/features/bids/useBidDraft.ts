import { useEffect, useRef, useState } from 'react';
import {
  DEFAULT_BUFFER_M,
  type Bid,
  type EligibilityCriteriaInput,
  type EligibilityResult,
  type EligibilityScope,
  type DatasetSummary,
  type SelectionResult,
} from '@safer-places/schemas';
import { ApiError, describeError, type ApiClient } from '../../api/client';
import { fileNameFromDisposition, fileStem, saveBlob } from '../../shared/download';
import { plural } from '../../shared/format';
import { useRemote } from '../../shared/remote';
import type { BidScope } from '../scope/scopeState';
import { DEFAULT_BID_CRITERIA, draftInput, parseLsoaList, type BidRound } from './criteria';

/** What the Safer Streets form holds while it is open (every field as typed). */
export interface SaferStreetsForm {
  name: string;
  round: string;
  theme: string;
  amountGbp: string;
  startDate: string;
  endDate: string;
}

export type BidMessage = { kind: 'error' | 'info'; text: string };

export interface BidDraftOptions {
  api: ApiClient;
  dataset: DatasetSummary;
  /** The eligibility scope the session's place maps to: where the criteria start, and follow when the place changes. */
  sessionScope: BidScope;
  sessionScopeKey: string | null;
  selection: string[];
  onSelection(codes: string[]): void;
  /** The eligible LSOAs, for the map. */
  onEligible(codes: string[]): void;
  /** The target area, buffer and comparison area, for the map. */
  onSelectionResult(result: SelectionResult | null): void;
  onSavedSaferStreets(id: string): Promise<void>;
  announce(message: string): void;
}

/** Waits `ms` (a debounce before a request), or rejects with an AbortError as soon as `signal` aborts. */
export function wait(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const abort = () => {
      clearTimeout(timer);
      reject(new DOMException('The wait was aborted.', 'AbortError'));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', abort);
      resolve();
    }, ms);
    if (signal.aborted) abort();
    else signal.addEventListener('abort', abort, { once: true });
  });
}

const byName = (a: Bid, b: Bid) => a.name.localeCompare(b.name, 'en-GB');

/**
 * The bid writer's state: the draft (name, round, notes, criteria, buffer), the organisation's saved drafts and the
 * presets, the eligible LSOAs (asked again, debounced, whenever the criteria change) and the target area's figures
 * (whenever the chosen LSOAs, the buffer or the crimes counted change), and every action the panel offers.
 */
export function useBidDraft(opts: BidDraftOptions) {
  const { api, dataset, onEligible, onSelectionResult } = opts;
  const [draft, setDraft] = useState<{ id: string; version: number } | null>(null);
  const [name, setName] = useState('');
  const [round, setRound] = useState<BidRound | ''>('');
  const [notes, setNotes] = useState('');
  const [criteria, setCriteria] = useState<EligibilityCriteriaInput>(() => ({ ...DEFAULT_BID_CRITERIA, scope: opts.sessionScope as EligibilityScope }));
  const [presetId, setPresetId] = useState('');
  const [bufferM, setBufferM] = useState(DEFAULT_BUFFER_M);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<BidMessage | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);

  // Presets and the organisation's drafts, once (a failed load lists none).
  const presets = useRemote('bid-presets', () => api.bidPresets().then((p) => p.items)).value ?? [];
  const draftList = useRemote('bids', () => api.listAssets('bids').then((r) => r.items as Bid[]));
  const drafts = draftList.value ?? [];

  // A new place for the session is where the criteria look next (an opened draft keeps its own until then).
  const firstScopeKey = useRef(opts.sessionScopeKey);
  useEffect(() => {
    if (opts.sessionScopeKey === firstScopeKey.current) return;
    firstScopeKey.current = opts.sessionScopeKey;
    setCriteria((c) => ({ ...c, scope: opts.sessionScope as EligibilityScope }));
  }, [opts.sessionScopeKey]);

  // Eligibility follows the criteria (debounced: typing a threshold should not fire a request per key).
  const eligibility = useRemote<EligibilityResult>(`${JSON.stringify(criteria)}|${dataset.id}|${dataset.version}`, async (signal) => {
    await wait(300, signal);
    return api.eligibility({ criteria, dataset: dataset.id }, signal);
  });
  useEffect(() => {
    const r = eligibility.remote;
    if (r.state === 'done') onEligible(r.value.lsoas.filter((l) => l.passes).map((l) => l.code));
    else if (r.state === 'error') onEligible([]);
  }, [eligibility.remote]);

  // The target area's figures follow the selection.
  const selectionKey =
    opts.selection.length === 0 ? null : `${opts.selection.join(',')}|${bufferM}|${JSON.stringify(criteria.categories)}|${criteria.to ?? ''}|${dataset.id}|${dataset.version}`;
  const target = useRemote<SelectionResult>(selectionKey, async (signal) => {
    await wait(250, signal);
    return api.bidSelection({ codes: opts.selection, dataset: dataset.id, bufferM, categories: criteria.categories, ...(criteria.to && { to: criteria.to }) }, signal);
  });
  useEffect(() => {
    if (selectionKey === null) onSelectionResult(null);
  }, [selectionKey]);
  useEffect(() => {
    const r = target.remote;
    if (r.state === 'done') onSelectionResult(r.value);
    else if (r.state === 'error') onSelectionResult(null);
  }, [target.remote]);

  const applyPreset = (pid: string) => {
    setPresetId(pid);
    const p = presets.find((x) => x.id === pid);
    if (!p) return;
    setCriteria(p.criteria);
    if (!round) setRound(p.round);
    opts.announce(`Preset “${p.name}” applied. Check its thresholds against the prospectus.`);
  };

  /** Makes a pasted or uploaded OPCC list the eligibility set (or says why it cannot). */
  const applyList = (text: string) => {
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
    opts.onSelection(bid.selection);
    setMessage(null);
  };

  const saveDraft = async () => {
    if (!name.trim()) {
      setMessage({ kind: 'error', text: 'Give the bid a name before saving it.' });
      return;
    }
    setBusy(true);
    setMessage(null);
    const input = draftInput({ name, round, notes, criteria, selection: opts.selection, bufferM });
    try {
      const saved = draft ? await api.updateAsset('bids', draft.id, draft.version, input as never) : await api.createAsset('bids', input as never);
      setDraft({ id: saved.id, version: saved.version });
      // Only edit a list that has arrived; while it is still loading, ask again so the answer includes this bid.
      if (draftList.remote.state === 'done') draftList.set([...drafts.filter((b) => b.id !== saved.id), saved as Bid].sort(byName));
      else void draftList.reload();
      opts.announce(`Bid “${saved.name}” saved.`);
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
      if (draftList.remote.state === 'done') draftList.set(drafts.filter((b) => b.id !== draft.id));
      else void draftList.reload();
      setDraft(null);
      setName('');
      setConfirmDelete(false);
      opts.announce('Bid deleted.');
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

  /** Saves the target area as a Safer Streets area; `close` shuts the form once the area is saved. */
  const saveSaferStreets = async (form: SaferStreetsForm, close: () => void) => {
    const sel = target.remote.state === 'done' ? target.remote.value : null;
    if (!sel) return;
    setBusy(true);
    setMessage(null);
    try {
      const item = await api.createAsset('safer-streets-areas', {
        name: form.name.trim(),
        round: form.round as never,
        theme: form.theme as never,
        amountGbp: Number(form.amountGbp),
        startDate: form.startDate,
        endDate: form.endDate,
        geometry: sel.target,
      });
      close();
      await opts.onSavedSaferStreets(item.id);
      opts.announce(`Safer Streets area “${item.name}” saved to the map.`);
    } catch (err) {
      setMessage({ kind: 'error', text: `The Safer Streets area could not be saved: ${describeError(err)}` });
    } finally {
      setBusy(false);
    }
  };

  return {
    draft,
    drafts,
    name,
    setName,
    round,
    setRound,
    notes,
    setNotes,
    criteria,
    setCriteria,
    presets,
    presetId,
    bufferM,
    setBufferM,
    /** The eligible LSOAs: shown only when the answer is for the criteria as they are now. */
    eligibility: eligibility.remote,
    /** The target area's figures, likewise. */
    target: target.remote,
    busy,
    message,
    confirmDelete,
    setConfirmDelete,
    applyPreset,
    applyList,
    openDraft,
    saveDraft,
    deleteDraft,
    downloadPack,
    openReport,
    saveSaferStreets,
  };
}

export type BidDraft = ReturnType<typeof useBidDraft>;
