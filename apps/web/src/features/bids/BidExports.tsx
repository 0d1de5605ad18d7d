import { useState } from 'react';
import { BID_ROUNDS, SAFER_STREETS_THEMES, SAFER_STREETS_THEME_LABELS } from '@safer-places/schemas';
import { ConfirmDelete } from '../../shared/ConfirmDelete';
import { ROUND_LABELS } from './criteria';
import type { BidDraft, SaferStreetsForm } from './useBidDraft';

interface BidExportsProps {
  /** The panel's id prefix for its form fields. */
  id: string;
  bid: BidDraft;
  selection: string[];
  canWrite: boolean;
  canSaveSaferStreets: boolean;
}

/** The target area as a new Safer Streets area: name, round, theme, amount and dates. */
function SaferStreetsFields({ id, form, busy, onChange, onSave, onCancel }: { id: string; form: SaferStreetsForm; busy: boolean; onChange(form: SaferStreetsForm): void; onSave(): void; onCancel(): void }) {
  return (
    <form className="asset-form" aria-label="Save as a Safer Streets area" onSubmit={(e) => {
      e.preventDefault();
      onSave();
    }}>
      <label htmlFor={`${id}-ss-name`} className="field-label">Name</label>
      <input id={`${id}-ss-name`} required value={form.name} onChange={(e) => onChange({ ...form, name: e.currentTarget.value })} />
      <div className="field-row">
        <div>
          <label htmlFor={`${id}-ss-round`} className="field-label">Round</label>
          <select id={`${id}-ss-round`} value={form.round} onChange={(e) => onChange({ ...form, round: e.currentTarget.value })}>
            {BID_ROUNDS.map((r) => (
              <option key={r} value={r}>{ROUND_LABELS[r]}</option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor={`${id}-ss-theme`} className="field-label">Theme</label>
          <select id={`${id}-ss-theme`} value={form.theme} onChange={(e) => onChange({ ...form, theme: e.currentTarget.value })}>
            {SAFER_STREETS_THEMES.map((t) => (
              <option key={t} value={t}>{SAFER_STREETS_THEME_LABELS[t]}</option>
            ))}
          </select>
        </div>
      </div>
      <label htmlFor={`${id}-ss-amount`} className="field-label">Amount (£)</label>
      <input id={`${id}-ss-amount`} type="number" min={0} max={10_000_000} step={1} required value={form.amountGbp} onChange={(e) => onChange({ ...form, amountGbp: e.currentTarget.value })} />
      <div className="field-row">
        <div>
          <label htmlFor={`${id}-ss-start`} className="field-label">Start date</label>
          <input id={`${id}-ss-start`} type="date" required value={form.startDate} onChange={(e) => onChange({ ...form, startDate: e.currentTarget.value })} />
        </div>
        <div>
          <label htmlFor={`${id}-ss-end`} className="field-label">End date</label>
          <input id={`${id}-ss-end`} type="date" required value={form.endDate} onChange={(e) => onChange({ ...form, endDate: e.currentTarget.value })} />
        </div>
      </div>
      <div className="button-row">
        <button type="submit" className="button button--primary" disabled={busy}>Save to the map</button>
        <button type="button" className="button" onClick={onCancel} disabled={busy}>Cancel</button>
      </div>
    </form>
  );
}

/** Save and export: save or delete the draft, its evidence pack and report, and the target area as a Safer Streets area. */
export function BidExports({ id, bid, selection, canWrite, canSaveSaferStreets }: BidExportsProps) {
  const [ssForm, setSsForm] = useState<SaferStreetsForm | null>(null);
  const { draft, busy, message } = bid;
  const hasTarget = bid.target.state === 'done';
  return (
    <section aria-label="Save and export">
      <h3 className="side-panel__section">Save and export</h3>
      {message && (
        <p className={`message message--${message.kind === 'error' ? 'error' : 'info'}`} role={message.kind === 'error' ? 'alert' : 'status'}>
          {message.text}
        </p>
      )}
      {canWrite ? (
        <div className="button-row">
          <button type="button" className="button button--primary" onClick={bid.saveDraft} disabled={busy}>
            {draft ? 'Save changes' : 'Save bid draft'}
          </button>
          {draft && !bid.confirmDelete && (
            <button type="button" className="button button--danger-outline" onClick={() => bid.setConfirmDelete(true)} disabled={busy}>
              Delete
            </button>
          )}
        </div>
      ) : (
        <p className="hint">Your role can look at bids but not save them.</p>
      )}
      {bid.confirmDelete && <ConfirmDelete prompt={`Delete the bid “${bid.name}”? This cannot be undone.`} busy={busy} onConfirm={bid.deleteDraft} onCancel={() => bid.setConfirmDelete(false)} />}
      <div className="button-row">
        <button type="button" className="button" onClick={bid.downloadPack} disabled={busy || !draft || selection.length === 0}>
          Download evidence pack (zip)
        </button>
        <button type="button" className="button" onClick={bid.openReport} disabled={busy || !draft || selection.length === 0}>
          Open the report
        </button>
      </div>
      <p className="hint">
        {draft ? 'The pack holds the printable report (HTML, print to PDF), the LSOA table (CSV) and the target, comparison and buffer areas (GeoJSON), for the saved bid.' : 'Save the bid to download its evidence pack.'}
      </p>
      {canSaveSaferStreets && hasTarget && !ssForm && (
        <button
          type="button"
          className="button"
          onClick={() => setSsForm({ name: bid.name || 'Target area', round: bid.round || 'other', theme: 'neighbourhood', amountGbp: '0', startDate: '', endDate: '' })}
        >
          Save the target area as a Safer Streets area…
        </button>
      )}
      {ssForm && (
        <SaferStreetsFields id={id} form={ssForm} busy={busy} onChange={setSsForm} onSave={() => void bid.saveSaferStreets(ssForm, () => setSsForm(null))} onCancel={() => setSsForm(null)} />
      )}
    </section>
  );
}
