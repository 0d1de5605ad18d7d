import * as z from 'zod';
import { visibleText } from './text';

/*
 * Field schemas several request schemas share, written once so their rules and messages cannot drift apart. Only
 * ITEM_ID, itemIdSchema and Audited are public (re-exported by the barrel); the rest are building blocks of this package.
 */

/** An id as the API hands it out (items, users, organisations, page cursors): 1-64 letters, digits, - or _. */
export const ITEM_ID = /^[A-Za-z0-9_-]{1,64}$/;
export const itemIdSchema = z.string().regex(ITEM_ID, 'ids are 1-64 letters, digits, - or _');

/** The name of an item: trimmed, 1-120 characters, at least one visible. */
export const name = visibleText('name', 120);
/** Free notes on an item. */
export const notes = z.string().max(2000, 'notes are at most 2,000 characters').optional();
/** A calendar date, YYYY-MM-DD. */
export const isoDate = z.iso.date({ error: 'dates must be YYYY-MM-DD' });

/** endDate must not be before startDate, where both are given. */
export function datesInOrder(v: { startDate?: string | undefined; endDate?: string | undefined }, ctx: z.RefinementCtx): void {
  if (v.startDate && v.endDate && v.endDate < v.startDate) {
    ctx.addIssue({ code: 'custom', path: ['endDate'], message: 'endDate must not be before startDate' });
  }
}

/** `dataset=` on a query string or in a body: a dataset id; when absent, the default dataset. */
export const datasetParam = z.string().min(1).max(64).optional();

/** A camera's own coverage radius in whole metres. */
export const coverageRadiusM = z.number().int().min(5).max(1000);

/** A displacement buffer around a target area, whole metres. */
export const bufferM = z.number().int('bufferM must be whole metres').min(0, 'bufferM is 0 to 5,000').max(5000, 'bufferM is 0 to 5,000');

/** Fields the server owns; never accepted from a client. */
export interface Audited {
  id: string;
  orgId: string;
  version: number;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  updatedBy: string;
}
