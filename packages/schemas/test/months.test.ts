import { describe, expect, it } from 'vitest';
import { addMonths, addMonthsToDate, monthLabel, monthOrdinal, monthRange, monthSchema, ordinalMonth, periodLabel } from '../src/index';

describe('month arithmetic', () => {
  it('steps months across year ends, both ways', () => {
    expect(addMonths('2024-11', 3)).toBe('2025-02');
    expect(addMonths('2024-01', -1)).toBe('2023-12');
    expect(addMonths('2024-12', -23)).toBe('2023-01');
    expect(addMonths('2024-06', 0)).toBe('2024-06');
  });

  it('numbers months consecutively, and reads the numbers back', () => {
    expect(monthOrdinal('2024-01') - monthOrdinal('2023-12')).toBe(1);
    for (const m of ['2000-01', '2023-12', '2024-07']) expect(ordinalMonth(monthOrdinal(m))).toBe(m);
  });

  it('lists the months of a period, ends included; none when from is after to', () => {
    expect(monthRange('2023-11', '2024-02')).toEqual(['2023-11', '2023-12', '2024-01', '2024-02']);
    expect(monthRange('2024-03', '2024-03')).toEqual(['2024-03']);
    expect(monthRange('2024-04', '2024-03')).toEqual([]);
  });

  it('names months and periods', () => {
    expect(monthLabel('2024-11')).toBe('Nov 2024');
    expect(periodLabel('2023-12', '2024-11')).toBe('Dec 2023 to Nov 2024 (12 months)');
    expect(periodLabel('2024-11', '2024-11')).toBe('Nov 2024 (1 month)');
  });

  it('adds months to a date, clamped to the end of a shorter month', () => {
    expect(addMonthsToDate('2024-11-30', 3)).toBe('2025-02-28');
    expect(addMonthsToDate('2023-11-30', 3)).toBe('2024-02-29');
    expect(addMonthsToDate('2024-01-15', -1)).toBe('2023-12-15');
  });

  it('takes only YYYY-MM months', () => {
    expect(monthSchema.safeParse('2024-12').success).toBe(true);
    for (const bad of ['2024-13', '2024-1', '24-01', '2024-00']) expect(monthSchema.safeParse(bad).success).toBe(false);
  });
});
