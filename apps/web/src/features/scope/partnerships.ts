import type { PartnershipArea, PartnershipAreaInput, ScopeOptions } from '@safer-places/schemas';
import type { Remote } from '../../shared/remote';

/*
 * Partnership areas in the "Places…" dialog, as data: the districts to choose from and how a saved one reads.
 */

export interface DistrictChoice {
  code: string;
  label: string;
  lsoaCount: number;
  /** The CSP it belongs to, when the options say. */
  group: string | null;
}

/** The dataset's districts (from the scope options), by name. */
export function districtChoices(options: ScopeOptions | null): DistrictChoice[] {
  return (options?.districts ?? [])
    .map((d) => ({ code: d.key.replace(/^district:/, ''), label: d.label, lsoaCount: d.lsoaCount, group: d.group ?? null }))
    .sort((a, b) => a.label.localeCompare(b.label, 'en-GB'));
}

/** "Bassetlaw, Newark and Sherwood" (district names where known, codes otherwise), and any LSOAs it names. */
export function partnershipSummary(p: Pick<PartnershipAreaInput, 'districts' | 'lsoaCodes'>, names: ReadonlyMap<string, string>): string {
  const parts: string[] = [];
  const districts = (p.districts ?? []).map((c) => names.get(c) ?? c).sort((a, b) => a.localeCompare(b, 'en-GB'));
  if (districts.length > 0) parts.push(districts.join(', '));
  const lsoas = p.lsoaCodes?.length ?? 0;
  if (lsoas > 0) parts.push(`${lsoas} ${lsoas === 1 ? 'LSOA' : 'LSOAs'} named`);
  return parts.join('; ') || 'No districts';
}

/** The organisation's partnership areas by name, as the dialog lists them. */
export function sortPartnerships(items: readonly PartnershipArea[]): PartnershipArea[] {
  return [...items].sort((a, b) => a.name.localeCompare(b.name, 'en-GB'));
}

/** What the dialog shows of the list: "Loading…" before the first answer, the list, or why it could not be read. */
export type PartnershipListView = { state: 'loading' } | { state: 'shown'; items: PartnershipArea[] } | { state: 'error'; message: string };

/**
 * The list as shown: the last answer stays while the list is read again (after a create or delete), and a failed read
 * shows its message in place of the list.
 */
export function partnershipListView(remote: Remote<PartnershipArea[]>): PartnershipListView {
  switch (remote.state) {
    case 'done':
      return { state: 'shown', items: remote.value };
    case 'error':
      return { state: 'error', message: remote.message };
    case 'loading':
      return remote.previous ? { state: 'shown', items: remote.previous } : { state: 'loading' };
    default:
      return { state: 'loading' };
  }
}
