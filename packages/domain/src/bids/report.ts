import { escapeXml, svgMap, type SvgMapContext, type SvgMapLayer, type SvgMapLocator } from '@safer-places/geo';
import type { AreaGeometry, Bid, BidRule, DatasetSummary, EligibilityResult, Lsoa, Month, SelectionResult } from '@safer-places/schemas';
import { BID_PRESET_NOTE, bidSelectionLabel, roundHalfAway } from '@safer-places/schemas';
import { monthLabel, periodLabel } from '@safer-places/schemas';
import { DID_CAVEATS } from './did';

/**
 * The evidence report of a bid: one self-contained HTML page (inline CSS and SVG, no scripts, no external resources)
 * laid out for A4 so "Print → Save as PDF" gives the appendix of a bid. Every piece of user or data text goes through
 * escapeHtml.
 */
export interface BidReportInput {
  bid: Bid;
  selection: SelectionResult;
  /** Eligibility of the selected LSOAs under the bid's criteria; null when it could not be evaluated. */
  eligibility: EligibilityResult | null;
  dataset: DatasetSummary;
  /** LSOA geometries of the selection (for the map). */
  lsoaGeometries: AreaGeometry[];
  /** Where things are around the target: neighbouring LSOA outlines, ward and district boundaries and names. */
  mapContext?: SvgMapContext;
  /** A locator inset when the comparison area lies beyond the map's frame: the districts' silhouette and its caption. */
  mapLocator?: { background: AreaGeometry[]; caption: string };
  generatedAt: Date;
  /** LSOA lookups for the comparison table (district). */
  lsoaByCode?: Map<string, Lsoa>;
}

export const escapeHtml = escapeXml;

const nf = new Intl.NumberFormat('en-GB');
const num = (x: number | null | undefined, digits = 0) =>
  x === null || x === undefined || !Number.isFinite(x) ? '–' : new Intl.NumberFormat('en-GB', { maximumFractionDigits: digits, minimumFractionDigits: digits }).format(x);
const pct = (x: number | null | undefined) => (x === null || x === undefined ? '–' : `${x > 0 ? '+' : ''}${num(x, 1)} %`);

export function ruleText(rule: BidRule): string {
  switch (rule.kind) {
    case 'rate-above-average':
      return `Crime rate per 1,000 residents at least ${num(rule.minPercent, 1)} % above the force-area average`;
    case 'top-percent':
      return `In the top ${num(rule.percent, 1)} % of LSOAs in scope by crime rate`;
    case 'min-count':
      return `At least ${nf.format(rule.count)} crimes in the 12 months`;
    case 'max-decile':
      return `Deprivation decile ${rule.decile} or lower (1 = most deprived 10 % of England)`;
    case 'persistent-hotspot-share':
      return `At least ${num(rule.minShare * 100, 0)} % of its crimes (24 months) in persistent hot spots`;
  }
}

export function renderBidReport(input: BidReportInput): string {
  const { bid, selection: s, eligibility, dataset } = input;
  const e = escapeHtml;
  const title = `Evidence pack: ${bid.name}`;
  const passes = new Map((eligibility?.lsoas ?? []).map((l) => [l.code, l]));

  const layers: SvgMapLayer[] = [
    ...(s.buffer ? [{ geometries: [s.buffer], fill: '#fdb863', fillOpacity: 0.35, stroke: '#b35806', strokeWidth: 1, dash: '4 3', label: `Buffer ring (${s.bufferM} m)` }] : []),
    ...(s.comparison.geometry ? [{ geometries: [s.comparison.geometry], fill: '#92c5de', fillOpacity: 0.45, stroke: '#0571b0', strokeWidth: 1.2, hatch: true, label: 'Comparison area' }] : []),
    { geometries: input.lsoaGeometries, fill: '#f4a582', fillOpacity: 0.35, stroke: '#7f3b08', strokeWidth: 0.6, label: 'Target LSOAs' },
    { geometries: [s.target], fill: 'none', fillOpacity: 0, stroke: '#2d004b', strokeWidth: 2.5, label: 'Target area outline' },
  ];
  const comparisonIndex = s.buffer ? 1 : 0;
  const locator: SvgMapLocator | undefined =
    input.mapLocator && s.comparison.geometry
      ? { background: input.mapLocator.background, layers: [comparisonIndex, layers.length - 2], caption: input.mapLocator.caption }
      : undefined;
  // The frame is the target and its buffer ring: a far-away comparison area is cut at the edge and shown in the locator.
  const map = svgMap(layers, {
    title: `Map of the target area of ${bid.name}`,
    width: 720,
    height: 520,
    frame: [s.target, ...(s.buffer ? [s.buffer] : [])],
    ...(input.mapContext && { context: input.mapContext }),
    ...(locator && { locator }),
  });

  const deciles = new Array<number>(11).fill(0);
  for (const l of s.lsoas) deciles[l.decile ?? 0]!++;
  const sources = dataset.sources.length > 0 ? dataset.sources : [{ name: dataset.name, publisher: 'unknown', licence: 'unknown' }];
  const criteria = bid.criteria;
  const scopeText =
    criteria.scope.kind === 'all'
      ? 'all LSOAs of the dataset'
      : criteria.scope.kind === 'area'
        ? `the drawn area ${criteria.scope.areaId}`
        : criteria.scope.kind === 'partnership'
          ? `the partnership area ${criteria.scope.id}`
          : `${criteria.scope.kind === 'districts' ? 'districts' : 'CSPs'} ${criteria.scope.codes.join(', ')}`;

  const html: string[] = [];
  html.push(`<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">`);
  html.push(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`);
  html.push(`<title>${e(title)}</title><style>${CSS}</style></head><body>`);
  if (s.dataset.synthetic) {
    html.push(`<div class="synthetic" role="alert"><strong>SYNTHETIC DATA — NOT REAL CRIME.</strong> This pack was made from the generated demo data set “${e(s.dataset.name)}”. Do not submit it or use it for decisions; import police.uk data and rebuild the pack.</div>`);
  }
  html.push(`<header><h1>${e(title)}</h1><p class="meta">`);
  html.push(`${bid.round ? `Safer Streets round ${e(bid.round)} · ` : ''}Data set: ${e(s.dataset.name)} · Period: ${e(periodLabel(s.period.from, s.period.to))} against ${e(periodLabel(s.previousPeriod.from, s.previousPeriod.to))} · Crime types: ${e(s.categories.map((c) => c.label).join(', '))}`);
  html.push(`<br>Generated ${e(input.generatedAt.toISOString().slice(0, 16).replace('T', ' '))} UTC from bid version ${bid.version}, last changed by ${e(bid.updatedBy)}.</p></header>`);
  if (bid.notes) html.push(`<section><h2>Notes from the bid writer</h2><p class="pre">${e(bid.notes)}</p></section>`);

  html.push('<section><h2>Summary of the target area</h2><table class="kv"><tbody>');
  const kv = (k: string, v: string) => html.push(`<tr><th scope="row">${e(k)}</th><td>${v}</td></tr>`);
  kv('LSOAs', `${nf.format(s.totals.lsoas)} in ${s.groups.length} contiguous area${s.groups.length === 1 ? '' : 's'}`);
  kv('Area', `${num(s.totals.areaKm2, 2)} km²`);
  kv('Residents (Census 2021 usual residents)', `${nf.format(s.totals.residents)}${s.totals.populationUnknown > 0 ? ` (${s.totals.populationUnknown} LSOAs without a figure)` : ''}`);
  kv(`Crimes, ${periodLabel(s.period.from, s.period.to)}`, nf.format(s.totals.crimes));
  kv(`Crimes, ${periodLabel(s.previousPeriod.from, s.previousPeriod.to)}`, nf.format(s.totals.previousCrimes));
  kv('Change', `${s.totals.change > 0 ? '+' : ''}${nf.format(s.totals.change)} (${pct(s.totals.changePercent)})`);
  kv('Rate per 1,000 residents (12 months)', num(s.totals.rate, 1));
  if (eligibility?.averageRate !== null && eligibility?.averageRate !== undefined) kv('Force-area average rate (same crime types)', num(eligibility.averageRate, 1));
  kv('CCTV cameras inside (not decommissioned)', nf.format(s.inside.cameras));
  kv('CCTV refuge help points inside', nf.format(s.inside.helpPoints));
  kv('PSPO zones overlapping', nf.format(s.inside.pspoZones));
  html.push('</tbody></table></section>');

  html.push(`<section class="map"><h2>Map</h2>${map}<ul class="legend">`);
  html.push(`<li><span class="sw" style="border:3px solid #2d004b"></span>Target area outline (LSOAs dissolved)</li>`);
  html.push(`<li><span class="sw" style="background:#f4a582;border:1px solid #7f3b08"></span>Target LSOAs</li>`);
  if (s.buffer) html.push(`<li><span class="sw" style="background:#fdb863;border:1px dashed #b35806"></span>Buffer ring: ${nf.format(s.bufferM)} m around the target (displacement)</li>`);
  if (s.comparison.geometry) html.push(`<li><span class="sw hatch" style="background:#92c5de;border:1px solid #0571b0"></span>Comparison area (hatched)</li>`);
  if (input.mapContext) html.push(`<li><span class="sw" style="border-top:2px solid #5a5a5a"></span>District boundary; <span class="sw" style="border-top:1px dashed #8c8c8c"></span>ward boundary; grey outlines: neighbouring LSOAs</li>`);
  if (locator) html.push(`<li>Inset, top left: ${e(locator.caption)}</li>`);
  html.push(`</ul><p class="small">British National Grid; the arrow points to grid north. Boundaries and names: ONS (OGL v3). Contains OS data © Crown copyright and database right.</p></section>`);

  html.push(`<section><h2>Eligibility criteria</h2><p>Scope: ${e(scopeText)}. Crime types: ${e(criteria.categories.map(bidSelectionLabel).join(', '))}. Rules combined with ${criteria.combine === 'and' ? '<strong>all</strong> of' : '<strong>any</strong> of'}:</p><ul>`);
  if (criteria.rules.length === 0) html.push('<li>No rules (every LSOA in scope).</li>');
  for (const r of criteria.rules) html.push(`<li>${e(ruleText(r))}</li>`);
  html.push('</ul>');
  if (criteria.lsoaList) html.push(`<p>An OPCC list of ${nf.format(criteria.lsoaList.length)} LSOAs was given: eligibility is that list; the rules are shown for information.</p>`);
  html.push(`<p class="small">${e(BID_PRESET_NOTE)}</p>`);
  if (eligibility) html.push(`<p>${nf.format(eligibility.eligible)} of ${nf.format(eligibility.scopeLsoas)} LSOAs in scope meet the criteria.</p>`);
  html.push('</section>');

  html.push('<section><h2>LSOAs in the target area</h2><table><thead><tr><th scope="col">Code</th><th scope="col">Name</th><th scope="col">Ward</th><th scope="col">District</th><th scope="col">Area</th><th scope="col" class="n">Residents</th><th scope="col" class="n">Decile</th><th scope="col" class="n">Crimes (12 m)</th><th scope="col" class="n">Previous 12 m</th><th scope="col" class="n">Rate /1,000</th><th scope="col">Meets criteria</th></tr></thead><tbody>');
  for (const l of [...s.lsoas].sort((a, b) => a.group - b.group || (b.rate ?? -1) - (a.rate ?? -1))) {
    const el = passes.get(l.code);
    html.push(`<tr><td>${e(l.code)}</td><td>${e(l.name)}</td><td>${e(l.ward ?? '')}</td><td>${e(l.district)}</td><td class="n">${l.group + 1}</td><td class="n">${num(l.population)}</td><td class="n">${num(l.decile)}</td><td class="n">${nf.format(l.count)}</td><td class="n">${nf.format(l.previousCount)}</td><td class="n">${num(l.rate, 1)}</td><td>${el ? (el.passes ? 'Yes' : 'No') : 'Out of scope'}</td></tr>`);
  }
  html.push('</tbody></table><p class="small">"Area" is the contiguous group (LSOAs sharing a boundary) the LSOA belongs to.</p></section>');

  html.push(`<section><h2>Baseline by crime type</h2><p>${e(periodLabel(s.period.from, s.period.to))} against the 12 months before. Suggested target "Reduce" where the last 12 months are up by 5 % or more (or from none to some), otherwise "Monitor".</p>`);
  html.push('<table><thead><tr><th scope="col">Crime type</th><th scope="col" class="n">Last 12 months</th><th scope="col" class="n">Previous 12 months</th><th scope="col" class="n">Change</th><th scope="col" class="n">% change</th><th scope="col">Target</th></tr></thead><tbody>');
  for (const r of s.byCategory) html.push(`<tr><td>${e(r.label)}</td><td class="n">${nf.format(r.current)}</td><td class="n">${nf.format(r.previous)}</td><td class="n">${r.change > 0 ? '+' : ''}${nf.format(r.change)}</td><td class="n">${pct(r.changePct)}</td><td>${r.target}</td></tr>`);
  html.push('</tbody></table></section>');

  html.push(`<section><h2>Monthly trend</h2>${trendChart(s.monthly, s.comparison.lsoas.length > 0)}`);
  html.push('<details open><summary>Figures</summary><table><thead><tr><th scope="col">Month</th><th scope="col" class="n">Target area</th><th scope="col" class="n">Comparison area</th></tr></thead><tbody>');
  for (const m of s.monthly) html.push(`<tr><td>${e(monthLabel(m.month))}</td><td class="n">${nf.format(m.count)}</td><td class="n">${nf.format(m.comparison)}</td></tr>`);
  html.push('</tbody></table></details></section>');

  html.push('<section><h2>Deprivation and population</h2><table><thead><tr><th scope="col">Deprivation decile</th><th scope="col" class="n">LSOAs</th></tr></thead><tbody>');
  for (let d = 1; d <= 10; d++) if (deciles[d]) html.push(`<tr><td>${d}${d === 1 ? ' (most deprived 10 %)' : ''}</td><td class="n">${deciles[d]}</td></tr>`);
  if (deciles[0]) html.push(`<tr><td>Unknown</td><td class="n">${deciles[0]}</td></tr>`);
  html.push(`</tbody></table><p class="small">Deciles: ${e(eligibility?.decileSource ?? 'as imported with the data set')}. Residents: ${nf.format(s.totals.residents)} (Census 2021 usual residents where imported).</p></section>`);

  html.push(`<section><h2>Comparison area</h2><p>${e(s.comparison.suggested ? 'Suggested by the tool (you can replace it with your own).' : 'Chosen by the bid writer.')} ${nf.format(s.comparison.lsoas.length)} LSOAs.</p>`);
  html.push('<table><thead><tr><th scope="col">Code</th><th scope="col">Name</th><th scope="col" class="n">Score</th><th scope="col" class="n">Rate /1,000</th><th scope="col" class="n">12-month trend</th><th scope="col" class="n">Decile</th></tr></thead><tbody>');
  for (const c of s.comparison.lsoas) html.push(`<tr><td>${e(c.code)}</td><td>${e(c.name)}</td><td class="n">${num(c.score, 2)}</td><td class="n">${num(c.rate, 1)}</td><td class="n">${c.trend === null ? '–' : pct(c.trend * 100)}</td><td class="n">${num(c.decile)}</td></tr>`);
  html.push(`</tbody></table><p class="small">${e(s.comparison.method)}</p></section>`);

  html.push('<section><h2>Data sources</h2><table><thead><tr><th scope="col">Source</th><th scope="col">Publisher</th><th scope="col">Licence</th><th scope="col">Coverage</th></tr></thead><tbody>');
  for (const src of sources) html.push(`<tr><td>${e(src.name)}</td><td>${e(src.publisher)}</td><td>${e(src.licence)}</td><td>${e(src.coverage ?? '')}</td></tr>`);
  html.push(`</tbody></table><p class="small">Data set “${e(dataset.name)}” (${e(dataset.id)}), imported ${e(dataset.importedAt.slice(0, 10))}; crime months ${e(dataset.firstMonth ?? '–')} to ${e(dataset.lastMonth ?? '–')}. Contains public sector information licensed under the Open Government Licence v3.0 where the sources say so.</p></section>`);

  html.push('<section><h2>Method notes</h2><ul>');
  for (const m of METHOD_NOTES) html.push(`<li>${e(m)}</li>`);
  for (const n of [...s.notes, ...(eligibility?.notes ?? [])].filter((x, i, all) => all.indexOf(x) === i)) html.push(`<li>${e(n)}</li>`);
  html.push('</ul><h3>Evaluating the scheme later</h3><ul>');
  for (const c of DID_CAVEATS) html.push(`<li>${e(c)}</li>`);
  html.push('</ul></section>');
  html.push(`<footer><p class="small">Made with Safer Places. Figures are recorded crime from police.uk, whose locations are anonymised to nearby map points; they describe areas, never addresses.</p></footer>`);
  html.push('</body></html>');
  return html.join('\n');
}

const METHOD_NOTES = [
  'Rates are crimes per 1,000 usual residents over 12 months. The force-area average is the whole data set’s crimes over its residents.',
  'Contiguity: LSOAs that share a stretch of boundary form one area; LSOAs that only touch at a corner do not.',
  'Target outline: the chosen LSOAs dissolved along their shared boundaries (vertices matched to 0.1 m); slivers under 500 m² or 2 m wide are closed.',
  'Buffer ring: the land within the buffer distance of the target but outside it, where displacement (or a spread of benefit) would show.',
  'Baseline: the 12 months to the end of the period against the 12 months before; the strategic-assessment Reduce/Monitor prompt uses a 5 % rise.',
];

function trendChart(monthly: { month: Month; count: number; comparison: number }[], withComparison: boolean): string {
  const W = 720, H = 260, L = 48, R = 12, T = 16, B = 44;
  const max = Math.max(1, ...monthly.map((m) => Math.max(m.count, withComparison ? m.comparison : 0)));
  const step = niceStep(max / 4);
  const top = Math.ceil(max / step) * step;
  const x = (i: number) => L + (monthly.length <= 1 ? 0 : (i * (W - L - R)) / (monthly.length - 1));
  const y = (v: number) => T + (H - T - B) * (1 - v / top);
  const out: string[] = [`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="Crimes per month in the target${withComparison ? ' and comparison' : ''} area"><title>Crimes per month</title>`];
  for (let v = 0; v <= top + 1e-9; v += step) {
    out.push(`<line x1="${L}" x2="${W - R}" y1="${r1(y(v))}" y2="${r1(y(v))}" stroke="#ddd"/><text x="${L - 6}" y="${r1(y(v) + 4)}" font-size="11" text-anchor="end" font-family="sans-serif">${nf.format(v)}</text>`);
  }
  monthly.forEach((m, i) => {
    if (i % 3 === 0) out.push(`<text x="${r1(x(i))}" y="${H - B + 16}" font-size="10" text-anchor="middle" font-family="sans-serif">${escapeXml(monthLabel(m.month))}</text>`);
  });
  const line = (values: number[], colour: string, dash: string, marker: 'circle' | 'square') => {
    out.push(`<polyline fill="none" stroke="${colour}" stroke-width="2" ${dash ? `stroke-dasharray="${dash}"` : ''} points="${values.map((v, i) => `${r1(x(i))},${r1(y(v))}`).join(' ')}"/>`);
    values.forEach((v, i) => out.push(marker === 'circle' ? `<circle cx="${r1(x(i))}" cy="${r1(y(v))}" r="2.5" fill="${colour}"/>` : `<rect x="${r1(x(i) - 2.5)}" y="${r1(y(v) - 2.5)}" width="5" height="5" fill="${colour}"/>`));
  };
  line(monthly.map((m) => m.count), '#b2182b', '', 'circle');
  if (withComparison) line(monthly.map((m) => m.comparison), '#2166ac', '5 3', 'square');
  out.push(`<g font-size="11" font-family="sans-serif"><line x1="${L}" x2="${L + 24}" y1="${H - 10}" y2="${H - 10}" stroke="#b2182b" stroke-width="2"/><text x="${L + 30}" y="${H - 6}">Target area (● solid)</text>`);
  if (withComparison) out.push(`<line x1="${L + 190}" x2="${L + 214}" y1="${H - 10}" y2="${H - 10}" stroke="#2166ac" stroke-width="2" stroke-dasharray="5 3"/><text x="${L + 220}" y="${H - 6}">Comparison area (■ dashed)</text>`);
  out.push('</g></svg>');
  return out.join('');
}

function niceStep(raw: number): number {
  const k = 10 ** Math.floor(Math.log10(Math.max(raw, 1e-9)));
  return ([1, 2, 5, 10].map((m) => m * k).find((s) => s >= raw) ?? 10 * k) || 1;
}

/** SVG coordinates to a tenth of a pixel, by the product's one rounding rule. */
const r1 = (v: number) => roundHalfAway(v, 1);

const CSS = `
*{box-sizing:border-box}body{font-family:Arial,Helvetica,sans-serif;font-size:11pt;color:#111;margin:0 auto;max-width:190mm;padding:12px;line-height:1.4}
h1{font-size:18pt;margin:0 0 4px}h2{font-size:13pt;margin:18px 0 6px;border-bottom:2px solid #2d004b;padding-bottom:2px}h3{font-size:11pt}
.meta,.small{font-size:9pt;color:#333}.pre{white-space:pre-wrap}
table{border-collapse:collapse;width:100%;font-size:9pt;margin:4px 0}th,td{border:1px solid #999;padding:2px 5px;text-align:left;vertical-align:top}
thead th{background:#eee}.n{text-align:right}table.kv{width:auto}table.kv th{background:#f6f6f6;font-weight:normal}
.synthetic{border:4px solid #b00;background:#fee;color:#600;padding:10px;font-size:12pt;margin-bottom:10px}
.legend{list-style:none;padding:0;font-size:9pt}.legend li{display:inline-block;margin-right:14px}.sw{display:inline-block;width:18px;height:12px;margin-right:4px;vertical-align:middle}
.sw.hatch{background-image:repeating-linear-gradient(45deg,#444 0 1px,transparent 1px 5px)!important}
svg{max-width:100%;height:auto;display:block}section{page-break-inside:auto}table,svg{page-break-inside:avoid}
@page{size:A4;margin:14mm}@media print{body{padding:0}.synthetic{-webkit-print-color-adjust:exact;print-color-adjust:exact}details>summary{display:none}}
`;
