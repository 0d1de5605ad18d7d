export { addMonths, monthLabel, monthOrdinal, monthRange, ordinalMonth, periodLabel } from '@safer-places/schemas';
