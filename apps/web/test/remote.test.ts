import { describe, expect, it } from 'vitest';
import { RemoteRunner, remoteValue, type Remote } from '../src/shared/remote';

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

function recorder<T>() {
  const seen: Remote<T>[] = [];
  const runner = new RemoteRunner<T>((r) => seen.push(r), (err) => (err instanceof Error ? err.message : String(err)));
  return { seen, runner };
}

describe('RemoteRunner: one loading state for every panel', () => {
  it('reports loading, then the answer', async () => {
    const { seen, runner } = recorder<number>();
    await runner.run(async () => 42);
    expect(seen).toEqual([{ state: 'loading' }, { state: 'done', value: 42 }]);
  });

  it('keeps the last answer on screen while a new one loads and after it fails', async () => {
    const { seen, runner } = recorder<number>();
    await runner.run(async () => 1);
    await runner.run(async () => {
      throw new Error('The service is busy');
    });
    expect(seen.slice(2)).toEqual([
      { state: 'loading', previous: 1 },
      { state: 'error', message: 'The service is busy', previous: 1 },
    ]);
    expect(remoteValue(runner.value)).toBe(1);
  });

  it('never lets a superseded request overwrite a newer answer, and aborts it', async () => {
    const { seen, runner } = recorder<string>();
    const slow = deferred<string>();
    let firstSignal: AbortSignal | undefined;
    const first = runner.run((signal) => {
      firstSignal = signal;
      return slow.promise;
    });
    await runner.run(async () => 'new');
    slow.resolve('old');
    await first;
    expect(firstSignal?.aborted).toBe(true);
    expect(runner.value).toEqual({ state: 'done', value: 'new' });
    expect(seen.some((r) => r.state === 'done' && r.value === 'old')).toBe(false);
  });

  it('reports nothing for a request aborted by cancel, and set replaces the answer', async () => {
    const { seen, runner } = recorder<string>();
    const slow = deferred<string>();
    const pending = runner.run(() => slow.promise);
    runner.cancel();
    slow.reject(new Error('aborted'));
    await pending;
    expect(seen).toEqual([{ state: 'loading' }]);
    runner.set('saved');
    expect(runner.value).toEqual({ state: 'done', value: 'saved' });
    runner.reset();
    expect(runner.value).toEqual({ state: 'idle' });
  });
});
