import { useId, useState } from 'react';
import type { AssetInputByKind, Geometry } from '@safer-places/schemas';
import { fieldsFor, inputFromForm, type FormKind, type FormValues } from './itemForm';
import { Field } from './Field';

/** The details form of a camera, help point, PSPO zone or Safer Streets area: validated with the API's own schema. */
export function AssetForm<K extends FormKind>(props: {
  kind: K;
  initial: FormValues;
  geometry: Geometry;
  cameraOptions: { value: string; label: string }[];
  sensitiveCameras: boolean;
  submitLabel: string;
  onSubmit(input: AssetInputByKind[K]): Promise<void>;
  onCancel(): void;
}) {
  const idPrefix = useId();
  const [values, setValues] = useState<FormValues>(props.initial);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const fields = fieldsFor(props.kind, props.cameraOptions, { sensitiveCameras: props.sensitiveCameras });
  return (
    <form
      className="asset-form"
      noValidate
      onSubmit={async (e) => {
        e.preventDefault();
        const result = inputFromForm(props.kind, values, props.geometry);
        if (!result.ok) {
          setErrors(result.errors);
          return;
        }
        setErrors({});
        setBusy(true);
        try {
          await props.onSubmit(result.input);
        } finally {
          setBusy(false);
        }
      }}
    >
      {fields.map((f) => (
        <Field key={f.name} def={f} value={values[f.name] ?? ''} error={errors[f.name]} idPrefix={idPrefix} onChange={(v) => setValues({ ...values, [f.name]: v })} />
      ))}
      {errors.form && <p className="field-error" role="alert">{errors.form}</p>}
      <div className="button-row">
        <button type="submit" className="button button--primary" disabled={busy}>{busy ? 'Saving…' : props.submitLabel}</button>
        <button type="button" className="button" onClick={props.onCancel} disabled={busy}>Cancel</button>
      </div>
    </form>
  );
}
