import { useEffect, useRef } from 'react';
import { createPortal } from 'react-dom';
import type { PatrolPlan } from './api';
import { formatInteger } from '../../shared/format';
import { formatDistance, formatLonLat, formatMinutes } from './format';
import { sheetMap } from './patrol';
import { periodLabel } from '../../shared/period';
import { PlaceLine } from '../scope/PlaceLine';
import { LsoaLine } from '../hotspots/HotspotResult';
import { answerScope } from '../scope/scopeState';
import { MapPicture } from '../export/MapPicture';

const MAP_W = 640;
const MAP_H = 360;

/**
 * The printable patrol sheet: a page of its own over the app (and the only thing printed), with the route map, the
 * visiting order with location text, crimes and main crime types, the dosage, and a grid for officers to log visits.
 */
export function PatrolSheet({ plan, onClose }: { plan: PatrolPlan; onClose(): void }) {
  const headingRef = useRef<HTMLHeadingElement>(null);
  const returnTo = useRef<Element | null>(null);
  useEffect(() => {
    returnTo.current = document.activeElement;
    headingRef.current?.focus();
    document.body.classList.add('printing-patrol-sheet');
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.stopPropagation();
        onClose();
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => {
      window.removeEventListener('keydown', onKey, true);
      document.body.classList.remove('printing-patrol-sheet');
      (returnTo.current as HTMLElement | null)?.focus?.();
    };
  }, [onClose]);
  const m = sheetMap(plan, MAP_W, MAP_H);
  const title = `Patrol sheet: top ${plan.stops.length} hot spots`;
  return createPortal(
    <div className="patrol-sheet" role="dialog" aria-modal="true" aria-labelledby="patrol-sheet-title" data-testid="patrol-sheet">
      <div className="patrol-sheet__tools">
        <button type="button" className="button button--primary" onClick={() => window.print()}>Print</button>
        <button type="button" className="button" onClick={onClose}>Close</button>
      </div>
      <article className="patrol-sheet__page">
        <h1 id="patrol-sheet-title" ref={headingRef} tabIndex={-1}>{title}</h1>
        <p className="patrol-sheet__meta">
          {answerScope(plan) && <>{answerScope(plan)!.label}; </>}
          {plan.categories.map((c) => c.label).join(', ')}; {periodLabel(plan.period.from, plan.period.to)}; {plan.dataset.name}
          {plan.dataset.synthetic && <strong> (synthetic demo data, not real crime)</strong>}
        </p>
        <p className="patrol-sheet__meta">
          Start {formatLonLat([plan.start.lon, plan.start.lat])}. {formatDistance(plan.distance.totalM)} in straight lines{plan.roundTrip ? ', there and back' : ''}; about{' '}
          {formatMinutes(plan.dosage.minutesPerPatrol)} a patrol ({plan.dosage.minutesPerVisit} minutes at each spot), {plan.dosage.patrolsPerDay === 2 ? 'twice' : `${plan.dosage.patrolsPerDay} times`} a day.
        </p>
        <figure className="patrol-sheet__map">
          <MapPicture points={[[plan.start.lon, plan.start.lat], ...plan.stops.map((s) => [s.lon, s.lat] as const)]} alt={`Route map on the map: the start and ${plan.stops.length} hot spots in visiting order`}>
          <svg viewBox={`0 0 ${m.width} ${m.height}`} role="img" aria-label={`Route map: the start and ${plan.stops.length} hot spots in visiting order`}>
            <rect x="0" y="0" width={m.width} height={m.height} fill="#ffffff" stroke="#6b7278" />
            <path d={m.path} fill="none" stroke="#ffffff" strokeWidth="6" strokeLinejoin="round" />
            <path d={m.path} fill="none" stroke="#1a1a1a" strokeWidth="2.5" strokeLinejoin="round" />
            {m.stops.map((s) => (
              <g key={s.visit}>
                <circle cx={s.x} cy={s.y} r="11" fill="#1a1a1a" stroke="#ffffff" strokeWidth="1.5" />
                <text x={s.x} y={s.y} dy="0.35em" textAnchor="middle" fontSize="11" fontWeight="700" fill="#ffffff">
                  {s.visit}
                </text>
              </g>
            ))}
            <rect x={m.start.x - 8} y={m.start.y - 8} width="16" height="16" fill="#F0E442" stroke="#1a1a1a" strokeWidth="2" />
            <g transform={`translate(14 ${m.height - 16})`}>
              <line x1="0" y1="0" x2={m.scale.lengthPx} y2="0" stroke="#1a1a1a" strokeWidth="3" />
              <line x1="0" y1="-5" x2="0" y2="5" stroke="#1a1a1a" strokeWidth="2" />
              <line x1={m.scale.lengthPx} y1="-5" x2={m.scale.lengthPx} y2="5" stroke="#1a1a1a" strokeWidth="2" />
              <text x={m.scale.lengthPx + 6} y="4" fontSize="11">{m.scale.label}</text>
            </g>
            <g transform={`translate(${m.width - 22} 26)`}>
              <path d="M0 -14 L6 4 L0 0 L-6 4 Z" fill="#1a1a1a" />
              <text x="0" y="16" textAnchor="middle" fontSize="11" fontWeight="700">N</text>
            </g>
          </svg>
          </MapPicture>
          <figcaption>Route map: yellow square = start; numbered circles = hot spots in visiting order; straight lines between them, not streets.</figcaption>
        </figure>
        <table className="data-table patrol-sheet__table">
          <thead>
            <tr>
              <th scope="col">Visit</th>
              <th scope="col">Location (police.uk map point)</th>
              <th scope="col" className="num">Crimes</th>
              <th scope="col">Main crime types</th>
              <th scope="col" className="num">Leg</th>
              <th scope="col">Visited (time, initials)</th>
            </tr>
          </thead>
          <tbody>
            {plan.stops.map((s) => (
              <tr key={s.visit}>
                <td>{s.visit}</td>
                <td>
                  {s.location ?? `Hot spot ${s.rank}`}
                  <LsoaLine row={s} />
                  <PlaceLine row={s} />
                  <span className="cell-sub">{formatLonLat([s.lon, s.lat])}; within {formatInteger(s.radiusM)} m</span>
                </td>
                <td className="num">{formatInteger(s.count)}</td>
                <td>{s.mainTypes.map((t) => `${t.label} (${formatInteger(t.count)})`).join(', ')}</td>
                <td className="num">{formatDistance(s.legM)}</td>
                <td className="patrol-sheet__blank" />
              </tr>
            ))}
          </tbody>
        </table>
        <p className="patrol-sheet__note">
          Visit order by nearest neighbour + 2-opt over straight-line distances. Locations are police.uk anonymised map points near where crimes happened, never exact addresses. Log each visit in
          Safer Places (Patrols and CCTV → Dosage log) so the monthly report counts it.
        </p>
      </article>
    </div>,
    document.body,
  );
}
