import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILT_IN_BID_PRESETS } from '@safer-places/domain';
import {
  ASSET_KINDS,
  devSignInSchema,
  nameProblem,
  proposedCameraSchema,
  userInviteSchema,
  visibleText,
  type AssetKind,
} from '@safer-places/schemas';
import { startTestApp, validCamera, validPspo } from './harness';

/** Names must have something to read: no names of only invisible characters, no control characters anywhere. */
const INVISIBLE: [string, string][] = [
  ['zero-width space', '\u200B'],
  ['zero-width non-joiner', '\u200C'],
  ['zero-width joiner', '\u200D'],
  ['word joiner', '\u2060'],
  ['byte order mark', '\uFEFF'],
  ['left-to-right mark', '\u200E'],
  ['right-to-left mark', '\u200F'],
  ['Arabic letter mark', '\u061C'],
  ['left-to-right and right-to-left marks', '\u200E\u200F\u200E'],
  ['zero-width characters mixed', '\u200B\u200C\u200D\u2060\uFEFF'],
  ['spaces and zero-width space', '  \u200B  '],
  ['Hangul filler', '\u3164'],
  ['blank braille pattern', '\u2800'],
  ['a combining accent alone', '\u0301'],
  ['soft hyphen', '\u00AD'],
];
/** Every C0 control character, DEL, a C1 one, line separators and bidirectional overrides, inside an otherwise fine name. */
const CONTROLS: [string, string][] = [
  ...Array.from({ length: 0x20 }, (_, i): [string, string] => [`U+${i.toString(16).toUpperCase().padStart(4, '0')}`, String.fromCharCode(i)]),
  ['U+007F', '\u007F'],
  ['U+0085', '\u0085'],
  ['U+2028', '\u2028'],
  ['U+2029', '\u2029'],
  ['right-to-left override', '\u202E'],
  ['left-to-right embedding', '\u202A'],
  ['first strong isolate', '\u2068'],
  ['lone surrogate', '\uD800'],
];
const FINE = ['Market Place camera', 'Zoë’s corner', 'محطة الحافلات', 'Hauptstraße 1', '東京駅', 'Café\u200D👍', 'שוק\u200F', 'Bus stop 7 ✓'];

const point = { type: 'Point', coordinates: [-1.1953, 53.0051] };
/** One valid body per kind, with the name-like field named. */
const BODIES: { kind: AssetKind; field: string; body: Record<string, unknown> }[] = [
  { kind: 'cameras', field: 'name', body: { ...validCamera } },
  { kind: 'help-points', field: 'name', body: { name: 'x', status: 'live', location: point } },
  { kind: 'pspo-zones', field: 'name', body: { ...validPspo } },
  { kind: 'pspo-zones', field: 'district', body: { ...validPspo } },
  { kind: 'safer-streets-areas', field: 'name', body: { name: 'x', round: 'R5', theme: 'asb', amountGbp: 1000, startDate: '2024-04-01', endDate: '2025-03-31', geometry: validPspo.geometry } },
  { kind: 'bids', field: 'name', body: { name: 'x', criteria: BUILT_IN_BID_PRESETS[0]!.criteria, selection: [] } },
  { kind: 'bid-presets', field: 'name', body: { name: 'x', round: BUILT_IN_BID_PRESETS[0]!.round, criteria: BUILT_IN_BID_PRESETS[0]!.criteria } },
  { kind: 'areas', field: 'name', body: { name: 'x', theme: 'asb', geometry: validPspo.geometry } },
  { kind: 'patrol-visits', field: 'spotName', body: { spotName: 'x', location: point, visitDate: '2025-06-01', minutes: 15, officerRole: 'pcso' } },
  { kind: 'camera-deployments', field: 'siteName', body: { cameraId: 'c-1', siteName: 'x', location: point, startDate: '2025-06-01' } },
  { kind: 'partnership-areas', field: 'name', body: { name: 'x', districts: ['E07000174'] } },
];

describe('visible names in every item schema', () => {
  it('the valid bodies are valid (so each refusal below is the name)', () => {
    for (const { kind, body } of BODIES) expect(ASSET_KINDS[kind].schema.safeParse(body).success, kind).toBe(true);
  });

  it('refuses names of only invisible characters, in every item kind', () => {
    for (const { kind, field, body } of BODIES) {
      for (const [label, value] of INVISIBLE) {
        const result = ASSET_KINDS[kind].schema.safeParse({ ...body, [field]: value });
        expect(result.success, `${kind}.${field}: ${label}`).toBe(false);
        expect(result.error!.issues.map((i) => i.path.join('.')), `${kind}.${field}: ${label}`).toEqual([field]);
      }
    }
  });

  it('refuses control characters anywhere in a name, in every item kind', () => {
    for (const { kind, field, body } of BODIES) {
      for (const [label, value] of CONTROLS) {
        const result = ASSET_KINDS[kind].schema.safeParse({ ...body, [field]: `Bus ${value}stop` });
        expect(result.success, `${kind}.${field}: ${label}`).toBe(false);
      }
    }
  });

  it('accepts names in any script, with joiners and direction marks inside visible text', () => {
    for (const { kind, field, body } of BODIES) {
      for (const value of FINE) expect(ASSET_KINDS[kind].schema.safeParse({ ...body, [field]: value }).success, `${kind}.${field}: ${value}`).toBe(true);
    }
  });

  it('PSPO prohibitions, sign-in names, proposed sites and invited users follow the same rule', () => {
    expect(ASSET_KINDS['pspo-zones'].schema.safeParse({ ...validPspo, prohibitions: ['\u200B'] }).success).toBe(false);
    expect(devSignInSchema.safeParse({ role: 'viewer', name: '\u200F' }).success).toBe(false);
    expect(devSignInSchema.safeParse({ role: 'viewer', name: 'Pat' }).success).toBe(true);
    expect(proposedCameraSchema.safeParse({ name: '\u2060', location: point }).success).toBe(false);
    expect(userInviteSchema.safeParse({ email: 'a@example.gov.uk', name: '\uFEFF\u200B', role: 'viewer' }).success).toBe(false);
    expect(userInviteSchema.safeParse({ email: 'a@example.gov.uk', name: 'Pat\u0007', role: 'viewer' }).success).toBe(false);
  });

  it('says what is wrong', () => {
    expect(visibleText('name', 120).safeParse('\u200B').error!.issues.map((i) => i.message)).toEqual([
      'name must contain at least one visible character, not only spaces or invisible characters',
    ]);
    expect(visibleText('name', 120).safeParse('\uFEFF').error!.issues.map((i) => i.message)).toEqual(['name is required']);
    expect(nameProblem('siteName', 'a\tb')).toMatch(/siteName must not contain control characters/);
    expect(nameProblem('name', 'Fine')).toBeNull();
  });
});

describe('visible names through the API', () => {
  let t: Awaited<ReturnType<typeof startTestApp>>;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('a camera named with a zero-width space is 400 with the reason, and nothing is stored', async () => {
    const res = await t.call('POST', '/api/cameras', { role: 'planner', body: { ...validCamera, name: '\u200B\u200B' } });
    expect(res.status).toBe(400);
    expect(res.json.detail).toMatch(/name: name must contain at least one visible character/);
    const ctl = await t.call('POST', '/api/cameras', { role: 'planner', body: { ...validCamera, name: 'Cam\u0000era' } });
    expect(ctl.status).toBe(400);
    expect(ctl.json.detail).toMatch(/must not contain control characters/);
    expect((await t.call('GET', '/api/cameras', { role: 'planner' })).json.items).toEqual([]);
  });

  it('local sign-in with an invisible name is refused', async () => {
    expect((await t.call('POST', '/api/dev/sign-in', { body: { role: 'admin', name: '\u200D' } })).status).toBe(400);
  });
});
