import { describe, expect, it } from 'vitest';
import {
  CATEGORY_INDEX,
  CRIME_CATEGORIES,
  areaGeometrySchema,
  bboxSchema,
  cameraInputSchema,
  categoriesOf,
  categoryFromLabel,
  pointSchema,
  selectionLabel,
} from '../src/index';

const messages = (r: { success: boolean; error?: { issues: { message: string }[] } }) => r.error?.issues.map((i) => i.message) ?? [];

describe('crime categories', () => {
  it('knows the 14 police.uk categories in a fixed storage order', () => {
    expect(CRIME_CATEGORIES).toHaveLength(14);
    expect(CATEGORY_INDEX['anti-social-behaviour']).toBe(0);
    expect(CATEGORY_INDEX['other-crime']).toBe(13);
  });

  it('maps police.uk CSV labels to slugs, ignoring case and spaces', () => {
    expect(categoryFromLabel('Violence and sexual offences')).toBe('violent-crime');
    expect(categoryFromLabel(' criminal damage and arson ')).toBe('criminal-damage-arson');
    expect(categoryFromLabel('Arson')).toBeUndefined();
  });

  it('expands groups', () => {
    expect(categoriesOf('neighbourhood-crime')).toEqual(['burglary', 'robbery', 'theft-from-the-person', 'vehicle-crime']);
    expect(categoriesOf('all-crime')).toHaveLength(14);
    expect(categoriesOf('drugs')).toEqual(['drugs']);
    expect(selectionLabel('violent-crime')).toBe('Violence and sexual offences');
  });
});

describe('geometry', () => {
  it('accepts a UK point and rejects the rest with a reason', () => {
    expect(pointSchema.safeParse({ type: 'Point', coordinates: [-1.15, 52.95] }).success).toBe(true);
    expect(messages(pointSchema.safeParse({ type: 'Point', coordinates: [52.95, -1.15] }))[0]).toMatch(/look swapped/);
    expect(messages(pointSchema.safeParse({ type: 'Point', coordinates: [-74, 40.7] }))[0]).toMatch(/outside the United Kingdom/);
    expect(messages(pointSchema.safeParse({ type: 'Point', coordinates: [Number.NaN, 52] }))[0]).toMatch(/finite/);
    expect(pointSchema.safeParse({ type: 'Point', coordinates: [-1.15, 52.95], crs: 'x' }).success).toBe(false);
  });

  it('checks rings: closed, at least four positions', () => {
    const square = [[-1.2, 53], [-1.1, 53], [-1.1, 53.1], [-1.2, 53.1], [-1.2, 53]];
    expect(areaGeometrySchema.safeParse({ type: 'Polygon', coordinates: [square] }).success).toBe(true);
    expect(areaGeometrySchema.safeParse({ type: 'MultiPolygon', coordinates: [[square]] }).success).toBe(true);
    expect(messages(areaGeometrySchema.safeParse({ type: 'Polygon', coordinates: [square.slice(0, 4)] }))[0]).toMatch(/closed/);
    expect(messages(areaGeometrySchema.safeParse({ type: 'Polygon', coordinates: [] }))[0]).toMatch(/outer ring/);
    expect(areaGeometrySchema.safeParse({ type: 'LineString', coordinates: square }).success).toBe(false);
  });
});

describe('camera input', () => {
  it('defaults status to live and refuses server-owned fields', () => {
    const base = { name: 'Cam', type: 'ptz', location: { type: 'Point', coordinates: [-1.15, 52.95] } };
    expect(cameraInputSchema.parse(base).status).toBe('live');
    expect(cameraInputSchema.safeParse({ ...base, orgId: 'x' }).success).toBe(false);
    expect(cameraInputSchema.safeParse({ ...base, name: '   ' }).success).toBe(false);
  });
});

describe('bbox query parameter', () => {
  it('parses four ordered numbers', () => {
    expect(bboxSchema.parse('-1.3, 52.9, -1.0, 53.1')).toEqual([-1.3, 52.9, -1.0, 53.1]);
    expect(bboxSchema.safeParse('-1.3,52.9,-1.0').success).toBe(false);
    expect(bboxSchema.safeParse('0,0,-1,1').success).toBe(false);
    expect(bboxSchema.safeParse('a,b,c,d').success).toBe(false);
  });
});
