import { describe, expect, it } from 'vitest';
import { asStringList, fieldsFor, formValuesFrom, inputFromForm } from '../src/features/assets/itemForm';
import { assetAttributes } from '../src/features/assets/itemAttributes';

const point = { type: 'Point' as const, coordinates: [-1.1505, 53.1385] as [number, number] };
const square = {
  type: 'Polygon' as const,
  coordinates: [[[-1.2, 53.1], [-1.19, 53.1], [-1.19, 53.11], [-1.2, 53.11], [-1.2, 53.1]]] as [number, number][][],
};

describe('form values from layer properties', () => {
  it('leaves a defaulted camera radius empty so saving does not pin the default', () => {
    const v = formValuesFrom('cameras', { name: 'Market Sq', type: 'ptz', status: 'live', coverageRadiusM: 150, coverageRadiusDefaulted: true });
    expect(v).toEqual({ name: 'Market Sq', type: 'ptz', status: 'live', coverageRadiusM: '', bearingDeg: '', fieldOfViewDeg: '', sensitive: 'no', notes: '' });
    expect(formValuesFrom('cameras', { coverageRadiusM: 80, coverageRadiusDefaulted: false }).coverageRadiusM).toBe('80');
  });
  it('offers the covert flag only to users who may see covert cameras, and keeps it through an edit', () => {
    expect(fieldsFor('cameras').map((f) => f.name)).not.toContain('sensitive');
    expect(fieldsFor('cameras', [], { sensitiveCameras: true }).map((f) => f.name)).toContain('sensitive');
    const values = formValuesFrom('cameras', { name: 'Covert', type: 'fixed', status: 'live', sensitive: true });
    expect(values.sensitive).toBe('yes');
    const result = inputFromForm('cameras', values, point);
    expect(result.ok && result.input.sensitive).toBe(true);
    const open = inputFromForm('cameras', { ...values, sensitive: 'no' }, point);
    expect(open.ok && 'sensitive' in open.input).toBe(false);
    expect(assetAttributes('cameras', { type: 'fixed', sensitive: true }).map((a) => a.label)).toContain('Covert or sensitive');
  });
  it('puts one prohibition per line, also when they come back from the map as a JSON string', () => {
    expect(formValuesFrom('pspo-zones', { prohibitions: ['Street drinking', 'Begging'] }).prohibitions).toBe('Street drinking\nBegging');
    expect(formValuesFrom('pspo-zones', { prohibitions: '["A","B"]' }).prohibitions).toBe('A\nB');
    expect(asStringList(undefined)).toEqual([]);
  });
  it('starts a new item with sensible defaults', () => {
    expect(formValuesFrom('cameras')).toMatchObject({ name: '', type: 'fixed', status: 'live' });
    expect(formValuesFrom('help-points')).toMatchObject({ status: 'planned', cameraId: '' });
  });
});

describe('inputFromForm', () => {
  it('builds a strict camera input, dropping an empty radius and empty notes', () => {
    const r = inputFromForm('cameras', { name: ' Market Sq ', type: 'fixed', status: 'live', coverageRadiusM: '', notes: '' }, point);
    expect(r).toEqual({ ok: true, input: { name: 'Market Sq', type: 'fixed', status: 'live', location: point } });
  });
  it('converts the radius to a number and checks its bounds', () => {
    const good = inputFromForm('cameras', { name: 'A', type: 'anpr', status: 'planned', coverageRadiusM: '40' }, point);
    expect(good.ok && good.input.coverageRadiusM).toBe(40);
    const bad = inputFromForm('cameras', { name: 'A', type: 'anpr', status: 'planned', coverageRadiusM: '2' }, point);
    expect(bad.ok).toBe(false);
    expect(!bad.ok && Object.keys(bad.errors)).toEqual(['coverageRadiusM']);
  });
  it('requires a name', () => {
    const r = inputFromForm('help-points', { name: '  ', status: 'live', cameraId: '' }, point);
    expect(r).toEqual({ ok: false, errors: { name: 'Name is required' } });
  });
  it('links a help point to a camera only when one is chosen', () => {
    const none = inputFromForm('help-points', { name: 'Refuge 1', status: 'live', cameraId: '' }, point);
    expect(none.ok && 'cameraId' in none.input).toBe(false);
    const linked = inputFromForm('help-points', { name: 'Refuge 1', status: 'live', cameraId: 'cam-7' }, point);
    expect(linked.ok && linked.input.cameraId).toBe('cam-7');
  });
  it('splits PSPO prohibitions by line and keeps the zone geometry', () => {
    const r = inputFromForm('pspo-zones', {
      name: 'Town centre', prohibitions: 'Street drinking\n\n  Begging  \n', district: 'Newark and Sherwood', startDate: '2024-04-01', endDate: '2027-03-31', notes: '',
    }, square);
    expect(r.ok && r.input.prohibitions).toEqual(['Street drinking', 'Begging']);
    expect(r.ok && r.input.geometry).toEqual(square);
  });
  it('reports an end date before the start date on the end date field', () => {
    const r = inputFromForm('pspo-zones', { name: 'Z', prohibitions: 'x', district: 'D', startDate: '2025-01-01', endDate: '2024-01-01' }, square);
    expect(r).toEqual({ ok: false, errors: { endDate: 'The end date must not be before the start date' } });
  });
  it('requires at least one prohibition', () => {
    const r = inputFromForm('pspo-zones', { name: 'Z', prohibitions: '\n', district: 'D', startDate: '2025-01-01', endDate: '2026-01-01' }, square);
    expect(!r.ok && r.errors.prohibitions).toBe('List at least one prohibition');
  });
  it('reads Safer Streets amounts as numbers', () => {
    const r = inputFromForm('safer-streets-areas', { name: 'Hucknall', round: 'R4', theme: 'vawg', amountGbp: '250000', startDate: '2022-10-01', endDate: '2024-03-31' }, square);
    expect(r.ok && r.input.amountGbp).toBe(250000);
    const bad = inputFromForm('safer-streets-areas', { name: 'Hucknall', round: 'R4', theme: 'vawg', amountGbp: 'lots', startDate: '2022-10-01', endDate: '2024-03-31' }, square);
    expect(!bad.ok && Object.keys(bad.errors)).toEqual(['amountGbp']);
  });
});

describe('assetAttributes', () => {
  const rows = (kind: Parameters<typeof assetAttributes>[0], props: Record<string, unknown>) =>
    Object.fromEntries(assetAttributes(kind, props).map((a) => [a.label, a.value]));

  it('gives cameras their type, status and radius in metres, saying when it is a default', () => {
    expect(rows('cameras', { id: 'c1', type: 'ptz', status: 'live', coverageRadiusM: 150, coverageRadiusDefaulted: true, version: 3 })).toEqual({
      Type: 'PTZ (pan-tilt-zoom)', Status: 'Live', 'Coverage radius': '150 m (default for the camera type)', 'Field of view': 'All round', Version: '3', Reference: 'c1',
    });
    expect(rows('cameras', { type: 'fixed', bearingDeg: 90, fieldOfViewDeg: 60 })['Field of view']).toBe('60° wide, facing 90° from north');
    expect(rows('cameras', { type: 'fixed', coverageRadiusM: 1200, coverageRadiusDefaulted: false })['Coverage radius']).toBe('1,200 m');
  });
  it('formats Safer Streets money in pounds and dates in words', () => {
    const r = rows('safer-streets-areas', { round: 'R4', theme: 'vawg', amountGbp: 249999.5, startDate: '2022-10-01', endDate: '2024-03-31' });
    expect(r).toMatchObject({ 'Funding round': 'Round 4', Theme: 'VAWG in public spaces', Amount: '£249,999.50', Period: '1 Oct 2022 to 31 Mar 2024' });
  });
  it('lists PSPO prohibitions and the period in force', () => {
    const r = rows('pspo-zones', { prohibitions: ['Street drinking', 'Begging'], district: 'Mansfield', startDate: '2024-01-01', endDate: '2026-12-31' });
    expect(r).toMatchObject({ Prohibitions: 'Street drinking; Begging', District: 'Mansfield', 'In force': '1 Jan 2024 to 31 Dec 2026' });
    expect(assetAttributes('pspo-zones', { prohibitions: ['Street drinking', 'Begging'] })[0]).toEqual({
      label: 'Prohibitions', value: 'Street drinking; Begging', list: ['Street drinking', 'Begging'],
    });
  });
  it('names the camera watching a help point', () => {
    expect(rows('help-points', { status: 'planned', cameraId: 'c1', cameraName: 'Bus station' })).toMatchObject({ Status: 'Planned', 'Monitored by camera': 'Bus station' });
    expect(rows('help-points', { status: 'live', cameraId: null, cameraName: null })['Monitored by camera']).toBe('No camera linked');
  });
});

describe('fieldsFor', () => {
  it('offers the linked-camera choice with a "none" option first', () => {
    const f = fieldsFor('help-points', [{ value: 'c1', label: 'Bus station' }]).find((x) => x.name === 'cameraId')!;
    expect(f.options).toEqual([{ value: '', label: 'No camera linked' }, { value: 'c1', label: 'Bus station' }]);
  });
  it('never offers geometry as an editable field', () => {
    for (const kind of ['cameras', 'help-points', 'pspo-zones', 'safer-streets-areas'] as const) {
      expect(fieldsFor(kind).map((f) => f.name)).not.toContain('geometry');
      expect(fieldsFor(kind).map((f) => f.name)).not.toContain('location');
    }
  });
});
