import { useState } from 'react';
import { ASSET_KINDS, type AssetInputByKind, type Position } from '@safer-places/schemas';
import { describeError } from '../../api/client';
import { formValuesFrom } from './itemForm';
import { PanelShell } from '../../shared/PanelShell';
import { AssetForm } from './AssetForm';

/** Adding a camera or help point: a click on the map (or the map centre) places it, then its details form. */
export function AddPanel(props: {
  kind: 'cameras' | 'help-points';
  position: Position | null;
  cameraOptions: { value: string; label: string }[];
  sensitiveCameras: boolean;
  onCreate(input: AssetInputByKind['cameras'] | AssetInputByKind['help-points']): Promise<void>;
  onUseCentre(): void;
  onCancel(): void;
}) {
  const [error, setError] = useState<string | null>(null);
  const meta = ASSET_KINDS[props.kind];
  return (
    <PanelShell title={`Add a ${meta.singular}`} onClose={props.onCancel} testId="add-panel">
      {!props.position ? (
        <>
          <p>Click the map where the {meta.singular} is, or place it at the centre of the map.</p>
          <div className="button-row">
            <button type="button" className="button" onClick={props.onUseCentre}>Use the map centre</button>
            <button type="button" className="button" onClick={props.onCancel}>Cancel</button>
          </div>
        </>
      ) : (
        <>
          <p className="hint">
            Location: {props.position[1].toFixed(5)}° N, {Math.abs(props.position[0]).toFixed(5)}° {props.position[0] < 0 ? 'W' : 'E'}. Click the map again to move it.
          </p>
          {error && <div className="message message--error" role="alert"><p>{error}</p></div>}
          <AssetForm
            key={props.kind}
            kind={props.kind}
            initial={formValuesFrom(props.kind)}
            geometry={{ type: 'Point', coordinates: props.position }}
            cameraOptions={props.cameraOptions}
            sensitiveCameras={props.sensitiveCameras}
            submitLabel={`Add ${meta.singular}`}
            onCancel={props.onCancel}
            onSubmit={async (input) => {
              try {
                setError(null);
                await props.onCreate(input as AssetInputByKind['cameras']);
              } catch (err) {
                setError(describeError(err));
              }
            }}
          />
        </>
      )}
    </PanelShell>
  );
}
