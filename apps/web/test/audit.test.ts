import { describe, expect, it } from 'vitest';
import type { AuditEvent } from '@safer-places/schemas';
import { auditRow } from '../src/features/reports/audit';

const base: AuditEvent = {
  id: 'e1',
  orgId: 'demo-csp',
  at: '2026-11-22T10:15:00.000Z',
  userId: 'user-7',
  role: 'planner',
  action: 'import',
  method: 'POST',
  path: '/api/cameras/import',
  status: 201,
  kind: 'cameras',
  itemIds: ['a', 'b', 'c'],
  detail: '3 CCTV cameras uploaded',
};

describe('audit rows', () => {
  it('say who did what to which items, in words', () => {
    expect(auditRow(base)).toMatchObject({ who: 'user-7 (Planner)', what: 'Uploaded (import)', item: 'CCTV cameras: 3 items', result: '201', detail: '3 CCTV cameras uploaded', refused: false });
    expect(auditRow({ ...base, action: 'update', itemIds: ['cam-1'] }).item).toBe('CCTV cameras: cam-1');
  });
  it('mark refusals and fall back to the request for routes without an item', () => {
    const refused = auditRow({ ...base, action: 'denied', status: 403, kind: undefined, itemIds: undefined, method: 'POST', path: '/api/cameras', detail: 'this needs one of the roles planner, admin' } as AuditEvent);
    expect(refused).toMatchObject({ what: 'Refused: role not allowed', item: 'POST /api/cameras', refused: true });
    expect(auditRow({ ...base, action: 'not-found', status: 404 }).refused).toBe(true);
  });
  it('keeps markup in names as text (rendered by React, never as HTML)', () => {
    expect(auditRow({ ...base, detail: '<img src=x onerror=alert(1)>' }).detail).toBe('<img src=x onerror=alert(1)>');
  });
});
