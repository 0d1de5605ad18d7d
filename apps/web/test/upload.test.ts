import { describe, expect, it } from 'vitest';
import { csvCells, previewUpload, uploadFields } from '../src/features/upload/upload';

describe('uploads', () => {
  it('reads cameras from a CSV with lon/lat columns, numbers as numbers, and names what it left out', () => {
    const csv = 'name,type,status,coverageRadiusM,lon,lat,owner\nMarket Square,fixed,live,120,-1.1493,52.9536,council\n"Station, east",ptz,planned,,-1.1460,52.9470,police\n';
    const p = previewUpload('cameras', 'cams.csv', csv);
    expect(p.error).toBeNull();
    expect(p.items.map((i) => i.problem)).toEqual([null, null]);
    expect(p.items[0]!.input).toEqual({ name: 'Market Square', type: 'fixed', status: 'live', coverageRadiusM: 120, location: { type: 'Point', coordinates: [-1.1493, 52.9536] } });
    expect(p.items[1]!.input.name).toBe('Station, east');
    expect(p.ignored).toEqual(['owner']);
  });

  it('flags each bad item with the schema’s own message, by its position', () => {
    const csv = 'name,type,lon,lat\nOK,fixed,-1.15,52.95\nSwapped,fixed,52.95,-1.15\n,anpr,-1.15,52.95\n';
    const p = previewUpload('cameras', 'cams.csv', csv);
    expect(p.items[0]!.problem).toBeNull();
    expect(p.items[1]!.problem).toMatch(/location/);
    expect(p.items[2]!.problem).toMatch(/name/);
    expect(p.items.map((i) => i.position)).toEqual([1, 2, 3]);
  });

  it('reads PSPO zones from GeoJSON, prohibitions from text lists, and refuses CSV for shapes', () => {
    const ring = [[-1.15, 52.95], [-1.14, 52.95], [-1.14, 52.96], [-1.15, 52.96], [-1.15, 52.95]];
    const fc = JSON.stringify({
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', geometry: { type: 'Polygon', coordinates: [ring] }, properties: { name: 'Town centre', prohibitions: 'No alcohol; No begging', district: 'Nottingham', startDate: '2024-01-01', endDate: '2026-12-31' } },
      ],
    });
    const p = previewUpload('pspo-zones', 'pspo.geojson', fc);
    expect(p.items[0]!.problem).toBeNull();
    expect(p.items[0]!.input.prohibitions).toEqual(['No alcohol', 'No begging']);
    expect(previewUpload('pspo-zones', 'p.csv', 'name,lon,lat\na,1,2').error).toMatch(/need shapes/);
    expect(previewUpload('cameras', 'x.json', '{oops').error).toMatch(/not valid JSON/);
    expect(previewUpload('cameras', 'x.csv', 'name,type\nA,fixed').error).toMatch(/longitude and latitude/);
  });

  it('knows each layer’s fields and splits quoted CSV cells', () => {
    expect(uploadFields('help-points')).toEqual(['name', 'status', 'cameraId', 'notes']);
    expect(csvCells('a,"b, c","say ""hi"""')).toEqual(['a', 'b, c', 'say "hi"']);
  });
});
