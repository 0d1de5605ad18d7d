import { useId, useMemo, useState } from 'react';
import type { PartnershipArea } from '@safer-places/schemas';
import { describeError, type ApiClient } from '../../api/client';
import { ConfirmDelete } from '../../shared/ConfirmDelete';
import { formatInteger } from '../../shared/format';
import { useRemote } from '../../shared/remote';
import { districtChoices, partnershipListView, partnershipSummary, sortPartnerships } from './partnerships';
import type { ScopeState } from './useScope';

/**
 * The organisation's partnership areas: named sets of districts (e.g. "Bassetlaw, Newark & Sherwood CSP" or an OPCC
 * programme's districts). Everyone sees them; analysts and administrators create one from the district list and
 * delete them. A new one appears in the place picker at once.
 */
export function PartnershipAreas(props: { api: ApiClient; scope: ScopeState; canEdit: boolean; announce(message: string): void }) {
  const id = useId();
  const { api, scope } = props;
  // Read again after a create or delete; the list stays on screen meanwhile.
  const areas = useRemote('partnership-areas', async () => sortPartnerships((await api.listAssets('partnership-areas')).items));
  const list = partnershipListView(areas.remote);
  const [name, setName] = useState('');
  const [codes, setCodes] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<string | null>(null);
  const districts = useMemo(() => districtChoices(scope.options), [scope.options]);
  const names = useMemo(() => new Map(districts.map((d) => [d.code, d.label])), [districts]);

  const create = async () => {
    setError(null);
    if (!name.trim()) {
      setError('Give the partnership area a name.');
      return;
    }
    if (codes.length === 0) {
      setError('Tick at least one district.');
      return;
    }
    setBusy(true);
    try {
      const item = await api.createAsset('partnership-areas', { name: name.trim(), districts: codes, lsoaCodes: [] });
      setName('');
      setCodes([]);
      await Promise.all([areas.reload(), scope.reload()]);
      props.announce(`Partnership area “${item.name}” saved: it is in the place picker.`);
    } catch (err) {
      setError(`The partnership area could not be saved: ${describeError(err)}`);
    } finally {
      setBusy(false);
    }
  };

  const remove = async (item: PartnershipArea) => {
    setBusy(true);
    setError(null);
    try {
      await api.deleteAsset('partnership-areas', item.id, item.version);
      setDeleting(null);
      const deletedKey = `partnership:${item.id}`;
      if (scope.key === deletedKey) {
        const home = scope.options?.home.key;
        scope.choose(home && home !== deletedKey ? home : 'study-area');
      }
      await Promise.all([areas.reload(), scope.reload()]);
      props.announce(`Partnership area “${item.name}” deleted.`);
    } catch (err) {
      setError(`The partnership area could not be deleted: ${describeError(err)}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby={`${id}-title`} data-testid="partnership-areas">
      <h3 id={`${id}-title`} className="side-panel__section">
        Partnership areas
      </h3>
      <p className="hint">A named set of districts your partnership works in, e.g. a CSP across two districts or the districts of a funding programme.</p>
      {list.state === 'loading' && (
        <p className="hint" role="status">
          Loading…
        </p>
      )}
      {list.state === 'error' && (
        <p className="message message--error" role="alert">
          The partnership areas could not be loaded: {list.message}
        </p>
      )}
      {list.state === 'shown' &&
        (list.items.length === 0 ? (
          <p className="hint">Your organisation has none yet.</p>
        ) : (
          <ul className="scope-dialog__list" data-testid="partnership-list">
            {list.items.map((p) => (
              <li key={p.id}>
                <div>
                  <strong>{p.name}</strong>
                  <span className="cell-sub">{partnershipSummary(p, names)}</span>
                </div>
                <div className="button-row button-row--tight">
                  <button type="button" className="link-button" onClick={() => scope.choose(`partnership:${p.id}`)} disabled={scope.key === `partnership:${p.id}`}>
                    {scope.key === `partnership:${p.id}` ? 'In use' : 'Use it'}
                  </button>
                  {props.canEdit &&
                    (deleting === p.id ? (
                      <ConfirmDelete prompt={`Delete “${p.name}”? Analyses using it fall back to your home area.`} busy={busy} onConfirm={() => void remove(p)} onCancel={() => setDeleting(null)} />
                    ) : (
                      <button type="button" className="link-button" onClick={() => setDeleting(p.id)} aria-label={`Delete ${p.name}`}>
                        Delete
                      </button>
                    ))}
                </div>
              </li>
            ))}
          </ul>
        ))}
      {props.canEdit && (
        <form
          className="scope-dialog__form"
          onSubmit={(e) => {
            e.preventDefault();
            void create();
          }}
        >
          <h4 className="scope-dialog__subhead">New partnership area</h4>
          <label htmlFor={`${id}-name`} className="field-label">
            Name
          </label>
          <input id={`${id}-name`} type="text" value={name} maxLength={120} onChange={(e) => setName(e.currentTarget.value)} placeholder="e.g. Bassetlaw, Newark & Sherwood" />
          <fieldset className="scope-dialog__districts">
            <legend className="field-label">Districts</legend>
            {districts.length === 0 && <p className="hint">No districts in this dataset.</p>}
            {districts.map((d) => (
              <div className="check" key={d.code}>
                <input
                  type="checkbox"
                  id={`${id}-d-${d.code}`}
                  checked={codes.includes(d.code)}
                  onChange={(e) => {
                    const on = e.currentTarget.checked;
                    setCodes((c) => (on ? [...c, d.code].sort() : c.filter((x) => x !== d.code)));
                  }}
                />
                <label htmlFor={`${id}-d-${d.code}`}>
                  {d.label} <span className="check__count">({formatInteger(d.lsoaCount)} LSOAs)</span>
                </label>
              </div>
            ))}
          </fieldset>
          {error && (
            <p className="message message--error" role="alert">
              {error}
            </p>
          )}
          <div className="button-row button-row--tight">
            <button type="submit" className="button button--primary" disabled={busy}>
              {busy ? 'Saving…' : 'Save partnership area'}
            </button>
          </div>
        </form>
      )}
      {!props.canEdit && error && (
        <p className="message message--error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
