import { useCallback, useEffect, useRef, useState } from 'react';
import { describeError } from '../api/client';

/**
 * The one loading state of the web app: what a panel shows while it asks the API for something.
 * `previous` keeps the last answer on screen while a new one loads (or after it failed), so a figure never blinks out.
 */
export type Remote<T> =
  | { state: 'idle' }
  | { state: 'loading'; previous?: T }
  | { state: 'done'; value: T }
  | { state: 'error'; message: string; previous?: T };

/** The value to show: the answer, or the last answer while a new one loads or after it failed. */
export function remoteValue<T>(r: Remote<T>): T | undefined {
  if (r.state === 'done') return r.value;
  if (r.state === 'loading' || r.state === 'error') return r.previous;
  return undefined;
}

type Listener<T> = (r: Remote<T>) => void;

/**
 * Runs one request at a time for a panel, without React: a new `run` aborts the one in flight, and only the answer of
 * the latest run is ever reported (an aborted or superseded request never overwrites a newer answer).
 */
export class RemoteRunner<T> {
  private current: Remote<T> = { state: 'idle' };
  private controller: AbortController | null = null;
  private generation = 0;

  constructor(private readonly listener: Listener<T>, private readonly describe: (err: unknown) => string = describeError) {}

  get value(): Remote<T> {
    return this.current;
  }

  private emit(next: Remote<T>): void {
    this.current = next;
    this.listener(next);
  }

  /** Starts `fetcher`, aborting any request in flight. Resolves when this run has settled (or was superseded). */
  async run(fetcher: (signal: AbortSignal) => Promise<T>): Promise<void> {
    this.controller?.abort();
    const controller = new AbortController();
    this.controller = controller;
    const generation = ++this.generation;
    const previous = remoteValue(this.current);
    this.emit(previous === undefined ? { state: 'loading' } : { state: 'loading', previous });
    try {
      const value = await fetcher(controller.signal);
      if (generation === this.generation) this.emit({ state: 'done', value });
    } catch (err) {
      if (generation !== this.generation || controller.signal.aborted) return;
      this.emit(previous === undefined ? { state: 'error', message: this.describe(err) } : { state: 'error', message: this.describe(err), previous });
    } finally {
      if (this.controller === controller) this.controller = null;
    }
  }

  /** Replaces the answer (after a local edit the API has acknowledged), aborting any request in flight. */
  set(value: T): void {
    this.cancel();
    this.emit({ state: 'done', value });
  }

  /** Aborts any request in flight and forgets the answer. */
  reset(): void {
    this.cancel();
    this.emit({ state: 'idle' });
  }

  /** Aborts any request in flight; its answer will never be reported. */
  cancel(): void {
    this.generation++;
    this.controller?.abort();
    this.controller = null;
  }
}

export interface RemoteHandle<T> {
  remote: Remote<T>;
  /** The answer, or the last one while reloading. */
  value: T | undefined;
  /** Asks again with the same key. */
  reload(): Promise<void>;
  /** Replaces the answer with one the panel already has (e.g. the item a save returned). */
  set(value: T): void;
}

/**
 * Loads `fetcher` whenever `key` changes (null: nothing to load, state idle), aborting the request of the previous key.
 * The fetcher may change on every render; the latest one is used. Unmounting aborts what is in flight.
 * `describe` turns a failure into the error message (default: `describeError`).
 */
export function useRemote<T>(key: string | null, fetcher: (signal: AbortSignal) => Promise<T>, describe?: (err: unknown) => string): RemoteHandle<T> {
  const [remote, setRemote] = useState<Remote<T>>({ state: 'idle' });
  const fetcherRef = useRef(fetcher);
  fetcherRef.current = fetcher;
  const describeRef = useRef(describe);
  describeRef.current = describe;
  const runnerRef = useRef<RemoteRunner<T> | null>(null);
  if (runnerRef.current === null) runnerRef.current = new RemoteRunner<T>(setRemote, (err) => (describeRef.current ?? describeError)(err));
  const runner = runnerRef.current;

  useEffect(() => {
    if (key === null) runner.reset();
    else void runner.run((signal) => fetcherRef.current(signal));
  }, [key, runner]);
  useEffect(() => () => runner.cancel(), [runner]);

  const reload = useCallback(() => (key === null ? Promise.resolve() : runner.run((signal) => fetcherRef.current(signal))), [key, runner]);
  const set = useCallback((value: T) => runner.set(value), [runner]);
  return { remote, value: remoteValue(remote), reload, set };
}
