import { ASSET_KINDS, AUDIT_ACTION_LABELS, ROLE_LABELS, type AssetKind, type AuditEvent } from '@safer-places/schemas';
import { formatDateTime } from '../../shared/format';

export interface AuditRow {
  id: string;
  when: string;
  who: string;
  what: string;
  item: string;
  result: string;
  detail: string;
  /** Refusals stand out in the table. */
  refused: boolean;
}

const kindLabel = (kind: string | undefined) => (kind && kind in ASSET_KINDS ? ASSET_KINDS[kind as AssetKind].label : (kind ?? ''));

/** One audit event as the admin's table shows it: plain text only, never markup. */
export function auditRow(e: AuditEvent): AuditRow {
  const ids = e.itemIds ?? [];
  const item = [kindLabel(e.kind), ids.length === 1 ? ids[0] : ids.length > 1 ? `${ids.length} items` : ''].filter(Boolean).join(': ');
  return {
    id: e.id,
    when: formatDateTime(e.at),
    who: `${e.userId} (${ROLE_LABELS[e.role] ?? e.role})`,
    what: AUDIT_ACTION_LABELS[e.action] ?? e.action,
    item: item || `${e.method} ${e.path}`,
    result: `${e.status}`,
    detail: e.detail ?? '',
    refused: e.action === 'denied' || e.action === 'not-found',
  };
}
