import type { DatasetSummary } from '@safer-places/schemas';
import { oglAttribution, osNotice } from '../shared/labels';
import { SYNTHETIC_EXPLANATION } from './Header';
import { accountingLines, asSentence, studyAreaDistricts, studyAreaLine, studyAreaSummary } from '../features/scope/studyArea';

export function Footer({ dataset, baseMap, statsNotes }: { dataset: DatasetSummary | null; baseMap: 'remote' | 'offline' | null; statsNotes: string[] }) {
  const ogl = oglAttribution(dataset);
  const os = osNotice(dataset);
  return (
    <footer className="app-footer">
      <details>
        {/* One line (the rest is cut with an ellipsis; all of it shows when opened): what matters most first, the
            synthetic warning and the licence notices, then the sources, listed in full below. */}
        <summary title={dataset ? 'Show the sources, licences and how the data were placed' : undefined}>
          <span className="app-footer__summary">
            <strong>About the data</strong>
            {studyAreaSummary(dataset) && <>: {studyAreaSummary(dataset)}.</>}
            {dataset?.synthetic && <strong className="app-footer__synthetic"> Figures are generated, not real.</strong>}
            {ogl && <> {ogl}</>}
            {os && <> {os}</>}
            {dataset && dataset.sources.length > 0 && (
              <span className="app-footer__sources"> Sources and licences: {dataset.sources.map((s) => `${s.name} (${s.licence})`).join('; ')}</span>
            )}
          </span>
        </summary>
        <div className="app-footer__body">
          {dataset?.synthetic && <p className="app-footer__synthetic-note">{SYNTHETIC_EXPLANATION}</p>}
          {dataset && dataset.sources.length > 0 ? (
            <ul className="sources">
              {dataset.sources.map((s) => (
                <li key={`${s.name}|${s.publisher}`}>
                  <strong>{s.name}</strong> — {s.publisher}; licence: {s.licence}
                  {s.coverage && <>; coverage: {s.coverage}</>}
                </li>
              ))}
            </ul>
          ) : (
            <p>No source information for this dataset.</p>
          )}
          {dataset?.studyArea && (
            <div className="app-footer__study" data-testid="study-area">
              <p>
                <strong>Study area:</strong> {studyAreaLine(dataset.studyArea)}. {asSentence(dataset.studyArea.reason)}
                {dataset.studyArea.districts.length > 0 && <> Districts (LSOAs): {studyAreaDistricts(dataset.studyArea)}.</>}
              </p>
            </div>
          )}
          {dataset?.crimeAccounting && (
            <div className="app-footer__accounting" data-testid="crime-accounting">
              <p>
                <strong>Where every crime row went</strong> (all stored months):
              </p>
              <ul className="sources">
                {accountingLines(dataset.crimeAccounting).map((l) => (
                  <li key={l.key} data-testid={`accounting-${l.key}`}>
                    {l.label}: {l.value}
                  </li>
                ))}
              </ul>
            </div>
          )}
          {dataset?.notes.map((n) => <p key={n}>{n}</p>)}
          {statsNotes.filter((n) => !dataset?.notes.includes(n)).map((n) => <p key={n}>{n}</p>)}
          <p>
            police.uk locations are anonymised to the nearest of a fixed set of map points: a crime on the map is never an exact address.
            {baseMap === 'offline' && ' Base map: offline (plain background).'}
          </p>
        </div>
      </details>
    </footer>
  );
}
