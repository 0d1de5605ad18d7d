import { describe, expect, it } from 'vitest';
import type { StrategicTable } from '@safer-places/schemas';
import {
  CHANGE_PCT_NOTE,
  MINUS,
  formatChangePct,
  formatSignedInteger,
  previousIncompleteNote,
  strategicDisplayRows,
  strategicPeriodLabels,
} from '../src/features/reports/strategic';

const table: StrategicTable = {
  current: { from: '2024-01', to: '2024-12' },
  previous: { from: '2023-01', to: '2023-12' },
  previousComplete: true,
  rule: 'Suggested target "Reduce" where …',
  rows: [
    { key: 'all-crime', label: 'All crime and ASB', current: 12345, previous: 11000, change: 1345, changePct: 12.2, target: 'Reduce' },
    { key: 'neighbourhood-crime', label: 'Neighbourhood crime', current: 90, previous: 100, change: -10, changePct: -10, target: 'Monitor' },
    { key: 'burglary', label: 'Burglary', current: 5, previous: 0, change: 5, changePct: null, target: 'Reduce' },
    { key: 'robbery', label: 'Robbery', current: 0, previous: 0, change: 0, changePct: null, target: 'Monitor' },
    { key: 'drugs', label: 'Drugs', current: 40, previous: 40, change: 0, changePct: 0, target: 'Monitor' },
  ],
};

describe('strategic table formatting', () => {
  it('signs volume changes with + and a real minus, thousands separated', () => {
    expect(formatSignedInteger(1345)).toBe('+1,345');
    expect(formatSignedInteger(-10)).toBe(`${MINUS}10`);
    expect(formatSignedInteger(-10)).toBe('−10');
    expect(formatSignedInteger(0)).toBe('0');
  });

  it('shows % change to one decimal with its sign, "new" or "n/a" when there is nothing to compare with', () => {
    expect(formatChangePct({ changePct: 12.2, current: 1, previous: 1 })).toBe('+12.2 %');
    expect(formatChangePct({ changePct: -10, current: 1, previous: 1 })).toBe('−10.0 %');
    expect(formatChangePct({ changePct: 1234.5, current: 1, previous: 1 })).toBe('+1,234.5 %');
    expect(formatChangePct({ changePct: 0, current: 40, previous: 40 })).toBe('0.0 %');
    expect(formatChangePct({ changePct: null, current: 5, previous: 0 })).toBe('new');
    expect(formatChangePct({ changePct: null, current: 0, previous: 0 })).toBe('n/a');
    // One rule for halves everywhere (roundHalfAway): away from zero, on both sides.
    expect(formatChangePct({ changePct: 12.25, current: 1, previous: 1 })).toBe('+12.3 %');
    expect(formatChangePct({ changePct: -12.25, current: 1, previous: 1 })).toBe('−12.3 %');
    expect(formatChangePct({ changePct: 12.24, current: 1, previous: 1 })).toBe('+12.2 %');
    expect(formatChangePct({ changePct: -0.04, current: 1, previous: 1 })).toBe('0.0 %');
    expect(CHANGE_PCT_NOTE).toMatch(/“new”.*“n\/a”/);
  });

  it('turns every row into display text, groups marked', () => {
    const rows = strategicDisplayRows(table);
    expect(rows[0]).toEqual({
      key: 'all-crime',
      label: 'All crime and ASB',
      current: '12,345',
      previous: '11,000',
      change: '+1,345',
      changePct: '+12.2 %',
      target: 'Reduce',
      isGroup: true,
    });
    expect(rows.map((r) => r.isGroup)).toEqual([true, true, false, false, false]);
    expect(rows.map((r) => r.changePct)).toEqual(['+12.2 %', '−10.0 %', 'new', 'n/a', '0.0 %']);
    expect(rows.map((r) => r.target)).toEqual(['Reduce', 'Monitor', 'Reduce', 'Monitor', 'Monitor']);
  });

  it('names both periods in words', () => {
    expect(strategicPeriodLabels(table)).toEqual({ current: 'Jan 2024 to Dec 2024', previous: 'Jan 2023 to Dec 2023' });
  });

  it('warns when the previous 12 months are not all in the data', () => {
    expect(previousIncompleteNote(table)).toBeNull();
    expect(previousIncompleteNote({ ...table, previousComplete: false })).toMatch(/^Previous period incomplete: the data does not cover all of Jan 2023 to Dec 2023/);
  });
});
