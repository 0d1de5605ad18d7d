import { useEffect, useId, useRef, useState } from 'react';
import type { AuditEvent } from '@safer-places/schemas';
import { describeError } from '../../api/client';
import { useRemote } from '../../shared/remote';
import { auditRow } from './audit';

type Page = { events: AuditEvent[]; next: string | null };

/**
 * The organisation's audit log for administrators: who changed, uploaded or exported what, covert camera reads, and
 * refused requests, newest first. It is append-only; nothing here changes it.
 */
export function AuditLogView(props: { load(before: string | undefined, signal: AbortSignal): Promise<Page>; onClose(): void }) {
  const id = useId();
  const headingRef = useRef<HTMLHeadingElement>(null);
  // The oldest entry shown so far: "Show older entries" asks for the page before it, added under the ones shown.
  const [before, setBefore] = useState<string | null>(null);
  const { load } = props;
  const shown = useRef<AuditEvent[]>([]);
  const { remote, value } = useRemote<Page>(
    `audit:${before ?? ''}`,
    async (signal): Promise<Page> => {
      const page = await load(before ?? undefined, signal);
      return before ? { events: [...shown.current, ...page.events], next: page.next } : page;
    },
    (err) => `The audit log could not be loaded: ${describeError(err)}`,
  );
  const events = value?.events ?? [];
  shown.current = events;
  const next = value?.next ?? null;
  const state = remote.state;
  const error = remote.state === 'error' ? remote.message : null;

  useEffect(() => {
    headingRef.current?.focus();
  }, []);

  return (
    <section className="overlay-panel" aria-labelledby={`${id}-heading`} data-testid="audit-log">
      <div className="overlay-panel__head">
        <div>
          <h2 id={`${id}-heading`} ref={headingRef} tabIndex={-1}>
            Audit log
          </h2>
          <p className="side-panel__sub">
            Your organisation&rsquo;s changes, uploads, exports, covert camera reads and refused requests, newest first. Entries cannot be
            changed or deleted.
          </p>
        </div>
        <button type="button" className="icon-button" onClick={props.onClose} aria-label="Close the audit log">
          ×
        </button>
      </div>
      {error && <p className="message message--error" role="alert">{error}</p>}
      {state === 'done' && events.length === 0 && <p>Nothing has been recorded yet.</p>}
      {events.length > 0 && (
        <div className="table-scroll">
          <table className="data-table data-table--audit">
            <caption className="visually-hidden">Audit events, newest first</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">What</th>
                <th scope="col">Item</th>
                <th scope="col" className="num">Status</th>
                <th scope="col">Detail</th>
              </tr>
            </thead>
            <tbody>
              {events.map(auditRow).map((r) => (
                <tr key={r.id} className={r.refused ? 'is-refused' : undefined}>
                  <td>{r.when}</td>
                  <td>{r.who}</td>
                  <td>{r.what}</td>
                  <td className="data-table__wrap">{r.item}</td>
                  <td className="num">{r.result}</td>
                  <td className="data-table__wrap">{r.detail}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div className="button-row">
        {state === 'loading' && <p role="status">Loading…</p>}
        {next && state === 'done' && (
          <button type="button" className="button" onClick={() => setBefore(next)}>
            Show older entries
          </button>
        )}
      </div>
    </section>
  );
}
