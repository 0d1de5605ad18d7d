import type { DosageReport, PatrolPlan } from '@safer-places/schemas';
import { toCsv } from '../csv';

/*
 * Files a planner takes away: the patrol as GPX 1.1 (for GPS units and mapping apps) or GeoJSON, and the dosage report
 * as CSV. Text from the data (police.uk location names) is escaped for XML; CSV cells are escaped against formulas.
 */

/** Escapes the five XML special characters and drops characters XML 1.0 cannot carry at all. */
export function xmlEscape(text: string): string {
  return text
    // eslint-disable-next-line no-control-regex -- exactly the control characters XML 1.0 forbids
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

const coord = (n: number) => n.toFixed(6);

function planTitle(plan: PatrolPlan): string {
  return `Patrol: top ${plan.stops.length} hot spots, ${plan.categories.map((c) => c.label).join(', ')}, ${plan.period.from} to ${plan.period.to}`;
}

function stopName(s: PatrolPlan['stops'][number]): string {
  return `${s.visit}. ${s.location ?? `Hot spot ${s.rank}`}`;
}

/** Where a stop is, in words: "LSOA Bulwell 003B (E01…), Bulwell ward, Nottingham"; empty when nothing is known. */
export function stopPlace(s: Pick<PatrolPlan['stops'][number], 'lsoaCode' | 'lsoaName' | 'ward' | 'district'>): string {
  const lsoa = s.lsoaName ? `LSOA ${s.lsoaName}${s.lsoaCode ? ` (${s.lsoaCode})` : ''}` : s.lsoaCode ? `LSOA ${s.lsoaCode}` : null;
  const ward = s.ward ? (/\bward$/i.test(s.ward) ? s.ward : `${s.ward} ward`) : null;
  return [lsoa, ward, s.district].filter((x): x is string => !!x).join(', ');
}

function stopDescription(plan: PatrolPlan, s: PatrolPlan['stops'][number]): string {
  const types = s.mainTypes.map((t) => `${t.label} ${t.count}`).join(', ');
  const where = stopPlace(s);
  return `Hot spot rank ${s.rank}: ${s.count} crimes within ${s.radiusM} m (${types}), ${plan.period.from} to ${plan.period.to}.${where ? ` In ${where}.` : ''} ${plan.dosage.minutesPerVisit} minutes, ${plan.dosage.patrolsPerDay} times a day. police.uk map point, not an exact address.`;
}

/**
 * GPX 1.1 (http://www.topografix.com/GPX/1/1): metadata, one waypoint per stop in visit order, and the route from the
 * start through every stop (and back on a round trip). Element order follows the schema (metadata, wpt, rte).
 */
export function patrolGpx(plan: PatrolPlan, createdAt: Date): string {
  const lines: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<gpx version="1.1" creator="Safer Places" xmlns="http://www.topografix.com/GPX/1/1" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://www.topografix.com/GPX/1/1 http://www.topografix.com/GPX/1/1/gpx.xsd">',
    '  <metadata>',
    `    <name>${xmlEscape(planTitle(plan))}</name>`,
    `    <desc>${xmlEscape(`${plan.dataset.name}${plan.dataset.synthetic ? ' (SYNTHETIC demo data, not real crime)' : ''}. Straight-line distance ${plan.distance.totalM} m${plan.roundTrip ? ', round trip' : ''}; order by nearest neighbour + 2-opt.`)}</desc>`,
    `    <time>${createdAt.toISOString()}</time>`,
    '  </metadata>',
  ];
  for (const s of plan.stops) {
    lines.push(
      `  <wpt lat="${coord(s.lat)}" lon="${coord(s.lon)}">`,
      `    <name>${xmlEscape(stopName(s))}</name>`,
      `    <desc>${xmlEscape(stopDescription(plan, s))}</desc>`,
      '    <sym>Flag, Red</sym>',
      '    <type>Hot spot</type>',
      '  </wpt>',
    );
  }
  lines.push('  <rte>', `    <name>${xmlEscape(planTitle(plan))}</name>`, `    <rtept lat="${coord(plan.start.lat)}" lon="${coord(plan.start.lon)}"><name>Start</name></rtept>`);
  for (const s of plan.stops) lines.push(`    <rtept lat="${coord(s.lat)}" lon="${coord(s.lon)}"><name>${xmlEscape(stopName(s))}</name></rtept>`);
  if (plan.roundTrip) lines.push(`    <rtept lat="${coord(plan.start.lat)}" lon="${coord(plan.start.lon)}"><name>Back to start</name></rtept>`);
  lines.push('  </rte>', '</gpx>', '');
  return lines.join('\n');
}

/** The patrol as GeoJSON: the start, each stop (visit order, rank, crimes, main types) and the route line. */
export function patrolGeoJson(plan: PatrolPlan) {
  const path: [number, number][] = [[plan.start.lon, plan.start.lat], ...plan.stops.map((s) => [s.lon, s.lat] as [number, number])];
  if (plan.roundTrip) path.push([plan.start.lon, plan.start.lat]);
  return {
    type: 'FeatureCollection' as const,
    properties: {
      title: planTitle(plan),
      dataset: plan.dataset,
      period: plan.period,
      categories: plan.categories,
      distance: plan.distance,
      dosage: plan.dosage,
      notes: plan.notes,
    },
    features: [
      { type: 'Feature' as const, geometry: { type: 'LineString' as const, coordinates: path }, properties: { role: 'route', lengthM: plan.distance.totalM, roundTrip: plan.roundTrip } },
      { type: 'Feature' as const, geometry: { type: 'Point' as const, coordinates: [plan.start.lon, plan.start.lat] }, properties: { role: 'start', name: 'Start' } },
      ...plan.stops.map((s) => ({
        type: 'Feature' as const,
        geometry: { type: 'Point' as const, coordinates: [s.lon, s.lat] },
        properties: {
          role: 'stop',
          visit: s.visit,
          rank: s.rank,
          name: s.location,
          lsoaCode: s.lsoaCode ?? null,
          lsoaName: s.lsoaName ?? null,
          ward: s.ward,
          district: s.district,
          crimes: s.count,
          radiusM: s.radiusM,
          mainTypes: s.mainTypes.map((t) => `${t.label} (${t.count})`).join('; '),
          legM: s.legM,
          cumulativeM: s.cumulativeM,
          snapPointWarning: s.snapPointWarning,
        },
      })),
    ],
  };
}

/** The dosage report as a spreadsheet: what it covers, then one row per spot. */
export function dosageCsv(report: DosageReport): string {
  return toCsv([
    ['Patrol dosage report', report.month, report.dataset.name + (report.dataset.synthetic ? ' (SYNTHETIC, not real data)' : '')],
    [`Crimes and ASB within each spot's radius. "Before": monthly average over the ${report.beforeMonths} months before the spot's first recorded patrol.`],
    [
      'Spot',
      'Longitude',
      'Latitude',
      'Radius (m)',
      'First patrol',
      `Visits in ${report.month}`,
      `Patrol hours in ${report.month}`,
      `Crimes in ${report.month} (excl. ASB)`,
      `ASB in ${report.month}`,
      'Crimes before, per month',
      'ASB before, per month',
      'Months before in the data',
    ],
    ...report.spots.map((r) => [
      r.spotName,
      r.lon,
      r.lat,
      r.radiusM,
      r.firstVisit,
      r.month.visits,
      r.month.hours,
      r.month.crimes,
      r.month.asb,
      r.before.crimesPerMonth,
      r.before.asbPerMonth,
      r.before.months,
    ]),
    [],
    ['Notes'],
    ...report.notes.map((n) => [n]),
  ]);
}
