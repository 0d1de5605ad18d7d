import { useId } from 'react';
import type { CategorySelection } from '@safer-places/schemas';
import { categoriesLabel, toggleCategory } from './categories';
import { CATEGORY_OPTIONS } from './labels';

const CATEGORY_ORDER = CATEGORY_OPTIONS.map((c) => c.value);

/** Several crime types at once: the groups, then the 14 police.uk categories, folded behind a summary line. */
export function CategoryPicker(props: { categories: CategorySelection[]; onChange(categories: CategorySelection[]): void; legend: string }) {
  const id = useId();
  const { categories } = props;
  return (
    <details className="multi-select">
      <summary>
        <span className="multi-select__label">Crime types:</span> {categoriesLabel(categories)}
      </summary>
      <fieldset className="multi-select__options">
        <legend className="visually-hidden">{props.legend}</legend>
        {(['Groups', 'police.uk categories'] as const).map((group) => (
          <div key={group} className="multi-select__group" role="group" aria-label={group}>
            <p className="multi-select__group-title" aria-hidden="true">{group}</p>
            {CATEGORY_OPTIONS.filter((c) => c.group === group).map((c) => (
              <div className="check" key={c.value}>
                <input
                  type="checkbox"
                  id={`${id}-${c.value}`}
                  checked={categories.includes(c.value as CategorySelection)}
                  onChange={(e) => props.onChange(toggleCategory(categories, c.value as CategorySelection, e.currentTarget.checked, CATEGORY_ORDER))}
                />
                <label htmlFor={`${id}-${c.value}`}>{c.label}</label>
              </div>
            ))}
          </div>
        ))}
      </fieldset>
    </details>
  );
}
