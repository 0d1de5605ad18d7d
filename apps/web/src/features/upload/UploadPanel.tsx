import { useId, useState } from 'react';
import { ASSET_KINDS } from '@safer-places/schemas';
import { describeError } from '../../api/client';
import { formatInteger, plural } from '../../shared/format';
import { UPLOAD_KINDS, previewUpload, uploadFields, type UploadKind, type UploadPreview } from './upload';
import { PanelShell } from '../../shared/PanelShell';

/**
 * Adding many cameras, help points, PSPO zones or Safer Streets areas from a file. The preview checks every item
 * against the layer's rules first; the server checks again and adds all of them or none.
 */
export function UploadPanel(props: {
  kinds: UploadKind[];
  onUpload(kind: UploadKind, items: Record<string, unknown>[]): Promise<number>;
  onClose(): void;
}) {
  const id = useId();
  const [kind, setKind] = useState<UploadKind>(props.kinds[0] ?? 'cameras');
  const [file, setFile] = useState<{ name: string; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ kind: 'error' | 'info'; text: string } | null>(null);
  const preview: UploadPreview | null = file ? previewUpload(kind, file.name, file.text) : null;
  const bad = preview?.items.filter((i) => i.problem !== null) ?? [];
  const label = ASSET_KINDS[kind].label;

  const add = async () => {
    if (!preview || bad.length > 0) return;
    setBusy(true);
    setMessage(null);
    try {
      const n = await props.onUpload(kind, preview.items.map((i) => i.input));
      setMessage({ kind: 'info', text: `${plural(n, ASSET_KINDS[kind].singular)} added to ${label}.` });
      setFile(null);
    } catch (err) {
      setMessage({ kind: 'error', text: `Nothing was added: ${describeError(err)}` });
    } finally {
      setBusy(false);
    }
  };

  return (
    <PanelShell title="Upload to a layer" subtitle="GeoJSON, or CSV for points" onClose={props.onClose} testId="upload-panel">
      <label htmlFor={`${id}-kind`} className="field-label">Layer</label>
      <select id={`${id}-kind`} value={kind} onChange={(e) => setKind(e.currentTarget.value as UploadKind)}>
        {UPLOAD_KINDS.filter((k) => props.kinds.includes(k)).map((k) => (
          <option key={k} value={k}>{ASSET_KINDS[k].label}</option>
        ))}
      </select>
      <p className="hint">
        Fields read from GeoJSON properties{kind === 'cameras' || kind === 'help-points' ? ' or CSV columns (with lon and lat columns)' : ''}: {uploadFields(kind).join(', ')}.
        {kind === 'pspo-zones' && ' Prohibitions may be a list or text separated by semicolons.'} Dates are YYYY-MM-DD.
      </p>
      <label htmlFor={`${id}-file`} className="field-label">File</label>
      <input
        id={`${id}-file`}
        type="file"
        accept=".geojson,.json,.csv,application/geo+json,application/json,text/csv"
        onChange={async (e) => {
          const f = e.currentTarget.files?.[0];
          setMessage(null);
          setFile(f ? { name: f.name, text: await f.text() } : null);
        }}
      />
      {preview?.error && <p className="message message--error" role="alert">{preview.error}</p>}
      {preview && !preview.error && (
        <div data-testid="upload-preview" aria-live="polite">
          <p>
            <strong>{formatInteger(preview.items.length - bad.length)}</strong> of {plural(preview.items.length, 'item')} ready
            {bad.length > 0 && <>; fix the {plural(bad.length, 'item')} below and choose the file again (nothing is added while any is wrong)</>}.
          </p>
          {bad.length > 0 && (
            <ul className="plain-list" data-testid="upload-problems">
              {bad.slice(0, 30).map((i) => (
                <li key={i.position}>
                  Item {i.position}
                  {typeof i.input.name === 'string' && i.input.name ? ` (“${i.input.name}”)` : ''}: {i.problem}
                </li>
              ))}
              {bad.length > 30 && <li>…and {formatInteger(bad.length - 30)} more</li>}
            </ul>
          )}
          {preview.ignored.length > 0 && <p className="hint">Left out (not fields of this layer): {preview.ignored.join(', ')}.</p>}
          <button type="button" className="button button--primary" onClick={add} disabled={busy || bad.length > 0 || preview.items.length === 0}>
            Add {plural(preview.items.length, ASSET_KINDS[kind].singular)}
          </button>
        </div>
      )}
      {message && (
        <p className={`message message--${message.kind === 'error' ? 'error' : 'info'}`} role={message.kind === 'error' ? 'alert' : 'status'}>
          {message.text}
        </p>
      )}
    </PanelShell>
  );
}
