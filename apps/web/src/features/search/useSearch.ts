import { useEffect, useState } from 'react';
import { SEARCH_MIN_CHARS, type BBox, type SearchAnswer } from '@safer-places/schemas';
import { useRemote } from '../../shared/remote';
import { bboxParam } from '../map/useMapLayers';
import type { SearchFn } from './api';

/** How long typing must pause before the box asks the server. */
export const SEARCH_DEBOUNCE_MS = 250;

export interface SearchInput {
  search: SearchFn;
  datasetId: string | null;
  /** The map view now: police.uk locations are searched in it. */
  getView(): BBox | null;
}

/** The text of the box, debounced into a search through the one loading hook (a newer text aborts an older request). */
export function useSearch({ search, datasetId, getView }: SearchInput) {
  const [text, setText] = useState('');
  const [asked, setAsked] = useState('');
  useEffect(() => {
    const q = text.trim();
    if (q === asked) return;
    const t = setTimeout(() => setAsked(q), SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(t);
  }, [text, asked]);
  const key = datasetId && asked.length >= SEARCH_MIN_CHARS ? `${datasetId}|${asked}` : null;
  const remote = useRemote<SearchAnswer>(key, (signal) => {
    const view = getView();
    return search({ q: asked, dataset: datasetId ?? undefined, ...(view && { bbox: bboxParam(view) }) }, signal);
  });
  const answer = key ? remote.value : undefined;
  /** Whether the answer on show is for the text now in the box (not one typed before). */
  const current = !!answer && answer.q === text.trim() && remote.remote.state === 'done';
  return {
    text,
    setText,
    answer,
    current,
    state: key === null ? ('idle' as const) : remote.remote.state,
    error: remote.remote.state === 'error' ? remote.remote.message : undefined,
  };
}
