import { useEffect, useMemo, useState } from 'react';
import { CAMERA_TYPES, CAMERA_TYPE_LABELS, CRIME_GROUPS, type LayerName } from '@safer-places/schemas';
import { choroplethTitle } from './choropleth';
import { formatInteger } from '../../shared/format';
import { LAYER_LABELS } from '../../shared/labels';
import { cameraIconSpec, helpPointIconSpec, hotspotRankIconSpec, pspoHatch, rasterizeIcon } from '../../map/icons';
import { BID_COLOURS, CAMERA_SYMBOLS, DRAWN_AREA_COLOUR, PSPO_COLOUR, SAFER_STREETS_COLOUR, SAFER_STREETS_FILL } from '../../map/palette';
import { BID_FILL_OPACITY, DRAWN_AREA_FILL_OPACITY, HOTSPOT_CELL_OPACITY, LSOA_FILL_OPACITY, SAFER_STREETS_FILL_OPACITY, COVERAGE_FILL_OPACITY } from '../../map/layers';
import { AreaSwatch, FillSwatch, ImageSwatch } from '../../shared/Swatches';
import { PlannerLegendSection } from '../planner/PlannerLegend';
import { CAMERA_SHORT_LABELS, type LegendModelInput } from './legendModel';

/** The legend's data (legendModel.ts: what the map export draws too) and what only the on-screen legend needs. */
export interface LegendProps extends LegendModelInput {
  counts: Partial<Record<LayerName, number>>;
  /**
   * Fold the legend away (e.g. while the area panel leaves the map narrow); it opens again when this turns false.
   * The Show/Hide button still works in between.
   */
  collapse?: boolean;
}


export function Legend(props: LegendProps) {
  const [open, setOpen] = useState(true);
  useEffect(() => {
    setOpen(!props.collapse);
  }, [props.collapse]);
  const cameraIcons = useMemo(() => CAMERA_TYPES.map((t) => ({ type: t, image: rasterizeIcon(cameraIconSpec(t, 2)) })), []);
  const helpIcons = useMemo(() => ({ live: rasterizeIcon(helpPointIconSpec('live', 2)), planned: rasterizeIcon(helpPointIconSpec('planned', 2)) }), []);
  const hatch = useMemo(() => pspoHatch(2), []);
  const { choropleth: ch } = props;
  const rankIcons = useMemo(() => [0, 1, 2].map((slot) => rasterizeIcon(hotspotRankIconSpec(slot, 1, 2))), []);
  const anyVisible = Object.values(props.visible).some(Boolean) || !!props.showAreas || !!props.hotspots || !!props.bid || !!props.planning;
  const bid = props.bid;
  const hs = props.hotspots;

  return (
    <section className={`legend${open ? '' : ' legend--closed'}`} aria-labelledby="legend-heading">
      <div className="legend__head">
        <h2 id="legend-heading">Legend</h2>
        <button type="button" className="link-button" aria-expanded={open} aria-controls="legend-body" onClick={() => setOpen(!open)}>
          {open ? 'Hide' : 'Show'}
        </button>
      </div>
      {/* Scrolls within the legend's maximum height; focusable so the keyboard can scroll it too. */}
      <div id="legend-body" className="legend__body" hidden={!open} tabIndex={0} role="group" aria-labelledby="legend-heading">
        {!anyVisible && <p className="legend__empty">All layers are switched off.</p>}
        {bid && (
          <div className="legend__section" data-testid="legend-bid">
            <h3>Bid</h3>
            <ul className="legend__list">
              <li>
                <AreaSwatch fill={BID_COLOURS.eligible} fillOpacity={BID_FILL_OPACITY.eligible + 0.1} line={BID_COLOURS.eligible} lineWidth={1} />
                <span className="legend__label">Eligible LSOA</span>
                <span className="legend__count" title="Eligible LSOAs">{formatInteger(bid.eligible)}</span>
              </li>
              <li>
                <AreaSwatch fill={BID_COLOURS.selection} fillOpacity={BID_FILL_OPACITY.selection + 0.1} line={BID_COLOURS.selection} lineWidth={1} />
                <span className="legend__label">In the bid</span>
                <span className="legend__count" title="LSOAs chosen">{formatInteger(bid.selected)}</span>
              </li>
              {bid.target && (
                <li>
                  <AreaSwatch line={BID_COLOURS.target} lineWidth={3} />
                  <span className="legend__label">Target area (dissolved)</span>
                </li>
              )}
              {bid.bufferM !== null && (
                <li>
                  <AreaSwatch fill={BID_COLOURS.buffer} fillOpacity={BID_FILL_OPACITY.buffer + 0.1} line={BID_COLOURS.buffer} lineWidth={2} dashed />
                  <span className="legend__label">Displacement buffer, {formatInteger(bid.bufferM)} m</span>
                </li>
              )}
              {bid.comparison > 0 && (
                <li>
                  <AreaSwatch fill={BID_COLOURS.comparison} fillOpacity={BID_FILL_OPACITY.comparison + 0.1} line={BID_COLOURS.comparison} lineWidth={2} dashed />
                  <span className="legend__label">Comparison area</span>
                  <span className="legend__count" title="Comparison LSOAs">{formatInteger(bid.comparison)}</span>
                </li>
              )}
            </ul>
          </div>
        )}
        {props.planning && <PlannerLegendSection legend={props.planning} />}
        {hs && (
          <div className="legend__section" data-testid="legend-hotspots">
            <h3>{hs.title}</h3>
            <p className="legend__caption">
              <span>{hs.caption}</span>
              <span>Cells</span>
            </p>
            <ul className="legend__list">
              {hs.rows.map((r) => (
                <li key={r.label}>
                  <FillSwatch colour={r.colour} opacity={HOTSPOT_CELL_OPACITY} />
                  <span className="legend__label">{r.label}</span>
                  <span className="legend__count" title="Cells in this class">{formatInteger(r.cells)}</span>
                </li>
              ))}
              {hs.snapCells !== null && hs.snapCells > 0 && (
                <li>
                  <span className="swatch legend__swatch-dashed" aria-hidden="true" />
                  <span className="legend__label">Most crimes on one published point</span>
                  <span className="legend__count" title="Hot cells flagged">{formatInteger(hs.snapCells)}</span>
                </li>
              )}
              {hs.spotTypes.map((label, slot) => (
                <li key={label}>
                  <ImageSwatch image={rankIcons[slot]!} />
                  <span className="legend__label">Top hot spots: {label}</span>
                </li>
              ))}
            </ul>
            <p className="legend__note">Source: {hs.source}</p>
          </div>
        )}
        {props.visible.lsoas && (
          <div className="legend__section" data-testid="legend-lsoas">
            <h3>{choroplethTitle(ch.measure, props.categoryLabel, props.period)}</h3>
            {props.scope && (
              <p className="legend__note legend__scope" data-testid="legend-scope">
                {props.scope.label}: {formatInteger(props.scope.lsoaCount)} {props.scope.lsoaCount === 1 ? 'LSOA' : 'LSOAs'}; classes within it
              </p>
            )}
            <p className="legend__caption">
              <span>{ch.measure === 'imd-decile' ? 'Decile' : 'Quantile class'}</span>
              <span>LSOAs</span>
            </p>
            <ul className="legend__list">
              {ch.legend.map((c) => (
                <li key={c.label}>
                  <FillSwatch colour={c.colour} opacity={LSOA_FILL_OPACITY + 0.1} />
                  <span className="legend__label">{c.label}</span>
                  <span className="legend__count" title="LSOAs in this class">{formatInteger(c.lsoas)}</span>
                </li>
              ))}
              <li>
                <FillSwatch colour={ch.noDataColour} opacity={LSOA_FILL_OPACITY + 0.1} />
                <span className="legend__label">No data</span>
                <span className="legend__count" title="LSOAs without a value">{formatInteger(ch.noDataLsoas)}</span>
              </li>
            </ul>
            {ch.substitute && (
              <p className="legend__note legend__note--warn" role="note">{ch.substitute}</p>
            )}
            {ch.measure === 'imd-decile' && props.deprivationSource && (
              <p className="legend__note">Source: {props.deprivationSource}</p>
            )}
            {props.category === 'neighbourhood-crime' && ch.measure !== 'imd-decile' && (
              <p className="legend__note legend__note--warn" role="note">{CRIME_GROUPS['neighbourhood-crime'].note}</p>
            )}
          </div>
        )}
        {props.visible.cameras && (
          <div className="legend__section" data-testid="legend-cameras">
            <h3>{LAYER_LABELS.cameras}</h3>
            <ul className="legend__list legend__list--grid">
              {cameraIcons.map(({ type, image }) => (
                <li key={type} title={`${CAMERA_TYPE_LABELS[type]}: ${CAMERA_SYMBOLS[type].shape}`}>
                  <ImageSwatch image={image} />
                  <span className="legend__label">{CAMERA_SHORT_LABELS[type]}</span>
                </li>
              ))}
            </ul>
            <p className="legend__note">Faded: planned or decommissioned.</p>
            {props.showCoverage && (
              <ul className="legend__list">
                <li>
                  <AreaSwatch fill={CAMERA_SYMBOLS.fixed.colour} fillOpacity={COVERAGE_FILL_OPACITY + 0.1} line={CAMERA_SYMBOLS.fixed.colour} lineWidth={1} dashed />
                  <span className="legend__label">Coverage circle</span>
                </li>
              </ul>
            )}
          </div>
        )}
        {props.visible['help-points'] && (
          <div className="legend__section" data-testid="legend-help-points">
            <h3>{LAYER_LABELS['help-points']}</h3>
            <ul className="legend__list legend__list--grid">
              <li>
                <ImageSwatch image={helpIcons.live} />
                <span className="legend__label">Live</span>
              </li>
              <li>
                <ImageSwatch image={helpIcons.planned} />
                <span className="legend__label">Planned</span>
              </li>
            </ul>
          </div>
        )}
        {(props.visible['pspo-zones'] || props.visible['safer-streets-areas'] || props.showAreas) && (
          <div className="legend__section">
            <h3>Areas</h3>
            <ul className="legend__list">
              {props.visible['pspo-zones'] && (
                <li data-testid="legend-pspo-zones">
                  <AreaSwatch line={PSPO_COLOUR} lineWidth={2} dashed>
                    <ImageSwatch image={hatch} width={26} height={16} />
                  </AreaSwatch>
                  <span className="legend__label">PSPO zone</span>
                </li>
              )}
              {props.visible['safer-streets-areas'] && (
                <li data-testid="legend-safer-streets-areas">
                  <AreaSwatch fill={SAFER_STREETS_FILL} fillOpacity={SAFER_STREETS_FILL_OPACITY + 0.15} line={SAFER_STREETS_COLOUR} lineWidth={2} />
                  <span className="legend__label">Safer Streets area</span>
                </li>
              )}
              {props.showAreas && (
                <li data-testid="legend-areas">
                  <AreaSwatch fill={DRAWN_AREA_COLOUR} fillOpacity={DRAWN_AREA_FILL_OPACITY + 0.1} line={DRAWN_AREA_COLOUR} lineWidth={3} cased />
                  <span className="legend__label">Drawn area (yours)</span>
                </li>
              )}
            </ul>
          </div>
        )}
        {props.truncated.length > 0 && (
          <p className="legend__note legend__note--warn" role="status">
            Too many features to show at once for {props.truncated.map((l) => LAYER_LABELS[l]).join(', ')}: zoom in to see them all.
          </p>
        )}
      </div>
    </section>
  );
}
