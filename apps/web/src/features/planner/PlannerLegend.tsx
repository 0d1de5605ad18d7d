import { formatInteger } from '../../shared/format';
import { FillSwatch } from '../../shared/Swatches';
import { PLANNING_CELL_OPACITY } from './layers';
import type { PlannerLegend } from './mapFeatures';
import { PlannerIcon } from './shared';

/** A route (solid, on a white casing, as the map draws it) or a dashed coverage circle. */
function LineSwatch({ colour, dashed }: { colour: string; dashed: boolean }) {
  return (
    <svg className="swatch" width="26" height="16" viewBox="0 0 26 16" aria-hidden="true">
      {dashed ? (
        <circle cx="13" cy="8" r="6.5" fill={colour} fillOpacity="0.12" stroke={colour} strokeWidth="1.8" strokeDasharray="3 2" />
      ) : (
        <>
          <line x1="2" y1="8" x2="24" y2="8" stroke="#ffffff" strokeWidth="6" strokeLinecap="round" />
          <line x1="2" y1="8" x2="24" y2="8" stroke={colour} strokeWidth="3" strokeLinecap="round" />
        </>
      )}
    </svg>
  );
}

/** The legend block of the planner's active tab: what each colour, line and marker on the map means, with counts. */
export function PlannerLegendSection({ legend }: { legend: PlannerLegend }) {
  return (
    <div className="legend__section" data-testid="legend-planning">
      <h3>{legend.title}</h3>
      <ul className="legend__list">
        {legend.rows.map((r) => (
          <li key={r.label}>
            {r.kind === 'icon' && <PlannerIcon icon={r.icon} />}
            {r.kind === 'fill' && <FillSwatch colour={r.colour} opacity={PLANNING_CELL_OPACITY + 0.1} />}
            {r.kind === 'line' && <LineSwatch colour={r.colour} dashed={r.dashed} />}
            <span className="legend__label">{r.label}</span>
            {r.kind !== 'line' && r.count !== undefined && (
              <span className="legend__count" title="On the map">
                {formatInteger(r.count)}
              </span>
            )}
          </li>
        ))}
      </ul>
      {legend.note && <p className="legend__note">{legend.note}</p>}
      {legend.source && <p className="legend__note">Source: {legend.source}</p>}
    </div>
  );
}
