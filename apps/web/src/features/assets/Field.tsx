import type { FieldDef } from './itemForm';

/** One labelled form control with its hint and error, wired for screen readers (used by the asset and area forms). */
export function Field({ def, value, error, onChange, idPrefix }: { def: FieldDef; value: string; error?: string; onChange(v: string): void; idPrefix: string }) {
  const id = `${idPrefix}-${def.name}`;
  const describedBy = [def.hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  const common = {
    id,
    name: def.name,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': describedBy,
    required: def.required,
  } as const;
  let control: React.ReactNode;
  switch (def.type) {
    case 'select':
      control = (
        <select {...common} value={value} onChange={(e) => onChange(e.currentTarget.value)}>
          {def.options?.map((o) => (
            <option key={o.value} value={o.value}>{o.label}</option>
          ))}
        </select>
      );
      break;
    case 'textarea':
    case 'lines':
      control = <textarea {...common} value={value} rows={def.type === 'lines' ? 4 : 3} onChange={(e) => onChange(e.currentTarget.value)} />;
      break;
    default:
      control = (
        <input
          {...common}
          type={def.type}
          value={value}
          {...(def.min !== undefined && { min: def.min })}
          {...(def.max !== undefined && { max: def.max })}
          {...(def.step !== undefined && { step: def.step })}
          onChange={(e) => onChange(e.currentTarget.value)}
        />
      );
  }
  return (
    <div className="field">
      <label htmlFor={id}>{def.label}{def.required && <span aria-hidden="true"> *</span>}</label>
      {control}
      {def.hint && <p className="hint" id={`${id}-hint`}>{def.hint}</p>}
      {error && <p className="field-error" id={`${id}-error`}>{error}</p>}
    </div>
  );
}
