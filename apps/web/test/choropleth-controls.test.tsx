import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { ChoroplethControls } from '../src/features/map/Controls';

const props = {
  measure: 'imd-decile' as const,
  onMeasure: () => {},
  category: 'all-crime',
  onCategory: () => {},
  period: 'last-12' as const,
  onPeriod: () => {},
  custom: { from: '', to: '' },
  onCustom: () => {},
  firstMonth: '2024-01',
  lastMonth: '2024-12',
  periodError: null,
  disabled: false,
};

/** Whether the crime type and period selects are disabled, and the notes under the measure. */
function read(html: string) {
  const selects = [...html.matchAll(/<select id="[^"]*-(category|period)"([^>]*)>/g)].map((m) => ({ name: m[1], disabled: /\bdisabled=""/.test(m[2]!) }));
  const notes = [...html.matchAll(/<p class="hint"[^>]*>(.*?)<\/p>/g)].map((m) => m[1]);
  return { selects, notes };
}

describe('LSOA shading controls', () => {
  it('with deprivation shown, the crime type and period do not apply', () => {
    const { selects, notes } = read(renderToStaticMarkup(createElement(ChoroplethControls, props)));
    expect(selects).toEqual([{ name: 'category', disabled: true }, { name: 'period', disabled: true }]);
    expect(notes).toEqual(['Deprivation does not depend on crime type or period.']);
  });

  it('with the count shown instead of a measure the place has no figures for, they apply, and the note says why', () => {
    const note = 'No LSOA of this place has a deprivation decile: the map shows the number of crimes instead.';
    const { selects, notes } = read(renderToStaticMarkup(createElement(ChoroplethControls, { ...props, measureNote: note })));
    expect(selects).toEqual([{ name: 'category', disabled: false }, { name: 'period', disabled: false }]);
    expect(notes).toEqual([note]);
  });
});
