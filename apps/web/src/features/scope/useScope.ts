import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { BBox, Scope, ScopeOptions } from '@safer-places/schemas';
import { describeError } from '../../api/client';
import { useRemote, type Remote } from '../../shared/remote';
import type { ScopeApi } from './api';
import { landingScope, parseKey, scopeForNewOptions, scopeFromSearch, scopeLabelOf, urlWithScope, viewScopeKey } from './scopeState';

export type ScopeStatus = 'idle' | 'loading' | 'ready' | 'error';

/** The status of the options: 'loading' only while a dataset's options are being read (a reload keeps 'ready'). */
export function scopeStatus(remote: Remote<ScopeOptions>): ScopeStatus {
  return remote.state === 'done' ? 'ready' : remote.state;
}

/** A request to show the whole place: `seq` changes each time, and `bbox` is known when the options hold it. */
export interface ScopeFitRequest {
  key: string;
  seq: number;
  bbox: BBox | null;
}

export interface ScopeState {
  status: ScopeStatus;
  /** What every analysis sends as `scope`; null until the landing place is known. */
  key: string | null;
  scope: Scope | null;
  /** The place in words, e.g. "Mansfield". */
  label: string;
  options: ScopeOptions | null;
  /** The organisation's stored home scope (null: none set, users land on the study area). */
  homeKey: string | null;
  /** Why the picker could not load, or why a link's place was not used. */
  problem: string | null;
  /** Set when the map should show the whole place (at landing, and when the user picks a place that is not the view). */
  fit: ScopeFitRequest | null;
  choose(key: string): void;
  chooseView(bbox: BBox): void;
  /** Administrators: make the current place the organisation's home. */
  makeHome(): Promise<void>;
  /** Read the options again (after a partnership area or a drawn area changed). */
  reload(): Promise<void>;
}

function browserSearch(): string {
  return typeof window === 'undefined' ? '' : window.location.search;
}

/**
 * The session's scope: read from the URL (`?scope=district:E07000174`) or, when it names none, the organisation's
 * home scope; kept in the URL as it changes so a reload or a shared link opens the same place. Every analysis reads
 * `key`. While the options cannot be loaded, the place the URL names (or the study area) is used so the map still works.
 */
export function useScope(opts: { api: ScopeApi; datasetId: string | null; enabled: boolean }): ScopeState {
  const { api, datasetId, enabled } = opts;
  const [key, setKey] = useState<string | null>(null);
  // What the URL names: the place chosen or linked to; null while the user is on the home area by default (the address
  // stays clean, and a reload lands home again).
  const [urlKey, setUrlKey] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [fit, setFit] = useState<ScopeFitRequest | null>(null);
  const keyRef = useRef<string | null>(null);
  keyRef.current = key;
  const seq = useRef(0);
  const landed = useRef(false);

  const requestFit = useCallback((k: string, o: ScopeOptions | null) => {
    if (parseKey(k)?.kind === 'view') return;
    seq.current += 1;
    const bbox = o && o.home.key === k ? o.home.bbox : null;
    setFit({ key: k, seq: seq.current, bbox });
  }, []);

  // Signed out: forget everything, so the next user lands on their own organisation's home (the options are forgotten
  // with the request key below).
  useEffect(() => {
    if (enabled) return;
    setKey(null);
    setUrlKey(null);
    setProblem(null);
    setFit(null);
    landed.current = false;
  }, [enabled]);

  // The options for the dataset; the landing place the first time, the same place (if held) after a dataset change.
  // What an answer (or a failure) means for the place is applied before the answer is reported, so `status` leaves
  // 'loading' together with the place it lands on (the analyses wait for both).
  const optionsRemote = useRemote<ScopeOptions>(enabled && datasetId ? `scopes:${datasetId}` : null, async (signal) => {
    let o: ScopeOptions;
    try {
      o = await api.scopes({ dataset: datasetId! }, signal);
    } catch (err) {
      if (!signal.aborted) {
        setProblem(`The list of places could not be loaded: ${describeError(err)}`);
        // Still run the analyses: on the place the link names, or the study area.
        if (!landed.current) {
          landed.current = true;
          const fromUrl = scopeFromSearch(browserSearch()).key;
          const k = fromUrl ?? 'study-area';
          setKey(k);
          setUrlKey(fromUrl);
          requestFit(k, null);
        }
      }
      throw err;
    }
    if (signal.aborted) return o; // superseded: this answer is never reported
    let next: string;
    if (!landed.current) {
      const url = scopeFromSearch(browserSearch());
      const land = landingScope(url.key, o);
      next = land.key;
      setUrlKey(land.source === 'url' ? land.key : null);
      setProblem(url.problem ?? land.problem);
      landed.current = true;
    } else {
      next = scopeForNewOptions(keyRef.current, o);
      if (next !== keyRef.current) {
        setProblem(`${scopeLabelOf(keyRef.current ?? '', null)} is not in ${o.dataset.name}: showing ${o.home.label}.`);
        setUrlKey(null);
      }
    }
    requestFit(next, o);
    setKey(next);
    return o;
  });
  const status = scopeStatus(optionsRemote.remote);
  const options = optionsRemote.value ?? null;
  const optionsRef = useRef(optionsRemote);
  optionsRef.current = optionsRemote;
  const datasetRef = useRef(datasetId);
  datasetRef.current = datasetId;

  // The URL follows the place (replaced, so Back still leaves the app rather than stepping through places). A link's
  // place the dataset does not hold is taken off the address.
  useEffect(() => {
    if (!key || typeof window === 'undefined') return;
    const here = `${window.location.pathname}${window.location.search}${window.location.hash}`;
    const next = urlWithScope(here, urlKey);
    if (next !== here) window.history.replaceState(window.history.state, '', next);
  }, [key, urlKey]);

  const choose = useCallback(
    (k: string) => {
      setProblem(null);
      setKey(k);
      setUrlKey(k);
      requestFit(k, options);
    },
    [options, requestFit],
  );
  const chooseView = useCallback((bbox: BBox) => {
    setProblem(null);
    setKey(viewScopeKey(bbox));
    setUrlKey(viewScopeKey(bbox));
  }, []);

  // Reading the options again keeps the status (the analyses go on on the place) and rejects when it fails. While a
  // dataset's options are still being read, that read is started again instead, so its answer holds the change.
  const reload = useCallback(async () => {
    if (!datasetId) return;
    const reading = () => optionsRef.current.remote.state === 'loading';
    if (reading()) return optionsRef.current.reload();
    const o = await api.scopes({ dataset: datasetId });
    // A read for another dataset that started meanwhile answers instead.
    if (datasetRef.current === datasetId && !reading()) optionsRef.current.set(o);
  }, [api, datasetId]);

  const makeHome = useCallback(async () => {
    if (!keyRef.current) return;
    await api.setHomeScope(keyRef.current);
    await reload();
  }, [api, reload]);

  const scope = useMemo(() => (key ? parseKey(key) : null), [key]);
  const label = useMemo(() => (key ? scopeLabelOf(key, options) : ''), [key, options]);

  return { status, key, scope, label, options, homeKey: options?.homeKey ?? null, problem, fit, choose, chooseView, makeHome, reload };
}
