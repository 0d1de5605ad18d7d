import type { DatasetSummary, LsoaStats, LsoaStatsRow } from '@safer-places/schemas';
import { decileLabel } from './choropleth';
import { formatInteger, formatRate, ordinal, plural } from '../../shared/format';
import { periodLabel } from '../../shared/period';
import { populationSourceLabel } from '../../shared/labels';
import { PanelShell } from '../../shared/PanelShell';

export interface LsoaPanelProps {
  properties: Record<string, unknown>;
  row: LsoaStatsRow | undefined;
  stats: LsoaStats | null;
  rank: { count: number | null; rate: number | null; of: number } | null;
  dataset: DatasetSummary | null;
  /** The place the ranks are within (the session's scope). */
  scopeLabel?: string | null;
  onClose(): void;
}

export function LsoaPanel({ properties: p, row, stats, rank, dataset, scopeLabel, onClose }: LsoaPanelProps) {
  const code = String(p.code ?? '');
  const population = typeof p.population === 'number' ? p.population : (row?.population ?? null);
  const decile = typeof p.imdDecile === 'number' ? p.imdDecile : (row?.imdDecile ?? null);
  const period = stats ? periodLabel(stats.from, stats.to) : null;
  return (
    <PanelShell title={String(p.name ?? code)} subtitle={`LSOA ${code}`} onClose={onClose} testId="lsoa-panel">
      <dl className="attributes">
        <dt>District</dt>
        <dd>{String(p.districtName ?? '—')}{p.districtCode ? ` (${String(p.districtCode)})` : ''}</dd>
        {typeof p.wardName === 'string' && p.wardName && (
          <>
            <dt>Ward</dt>
            <dd>{p.wardName}</dd>
          </>
        )}
        <dt>Population</dt>
        <dd>{population === null ? 'Not known' : `${formatInteger(population)} ${populationSourceLabel(dataset)}`}</dd>
      </dl>
      <h3 className="side-panel__section">{stats ? `${stats.categoryLabel}, ${period}` : 'Crime'}</h3>
      {!stats ? (
        <p className="hint">Crime figures are loading or unavailable for this period.</p>
      ) : (
        <dl className="attributes">
          <dt>Recorded crimes</dt>
          <dd data-testid="lsoa-count">{row ? `${plural(row.count, 'crime')} in ${period}` : `No data for ${period}`}</dd>
          <dt>Rate</dt>
          <dd>
            {row && row.ratePer1000 !== null
              ? `${formatRate(row.ratePer1000)} crimes per 1,000 residents over ${plural(stats.months, 'month')}`
              : 'Not available (population unknown)'}
          </dd>
          {rank && rank.count !== null && (
            <>
              <dt>Rank</dt>
              <dd>
                {ordinal(rank.count)} highest count of {formatInteger(rank.of)} LSOAs{scopeLabel ? ` in ${scopeLabel}` : ''}
                {rank.rate !== null && `; ${ordinal(rank.rate)} highest rate`}
              </dd>
            </>
          )}
        </dl>
      )}
      {stats && stats.notes.length > 0 && (
        <ul className="panel-notes">
          {stats.notes.map((n) => <li key={n}>{n}</li>)}
        </ul>
      )}
      <h3 className="side-panel__section">Deprivation</h3>
      <dl className="attributes">
        <dt>IMD decile</dt>
        <dd>{decile === null ? 'Not known' : `${decileLabel(decile)} (1 = most deprived 10 % of England)`}</dd>
        {typeof p.deprivationSource === 'string' && p.deprivationSource && (
          <>
            <dt>Source</dt>
            <dd>{p.deprivationSource}</dd>
          </>
        )}
      </dl>
      <p className="hint">police.uk places each crime at an anonymised map point, never an exact address.</p>
    </PanelShell>
  );
}
