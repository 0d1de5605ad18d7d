import type { AssetKind, Principal } from '@safer-places/schemas';
import type { AssetService } from './assets';
import { partitionOf } from './crime';
import type { DemoDataset } from './demo-data';
import type { AssetRepository, ReferenceRepository } from './ports';

/** The organisation a fresh local install signs in to. */
export const DEMO_ORG_ID = 'demo-csp';
const DEMO_ASSETS_MARKER = 'demo-assets-seeded';

export interface SeedResult {
  seededReference: boolean;
  seededAssets: boolean;
}

/**
 * Loads the synthetic demo set when nothing is there yet. It never overwrites: reference data is written only when no synthetic
 * dataset exists, assets only once per organisation (a marker remembers it), so saved edits and deletions survive
 * every restart.
 */
export async function seedDemoIfEmpty(
  deps: { reference: ReferenceRepository; assets: AssetRepository; assetService: AssetService },
  generate: () => DemoDataset,
  orgId = DEMO_ORG_ID,
): Promise<SeedResult> {
  const result: SeedResult = { seededReference: false, seededAssets: false };
  const datasets = await deps.reference.listDatasets();
  const orgEmpty = !(await deps.assets.hasMarker(orgId, DEMO_ASSETS_MARKER));
  const needReference = !datasets.some((d) => d.synthetic);
  if (!needReference && !orgEmpty) return result;

  const demo = generate();
  if (needReference) {
    await deps.reference.putLsoas(demo.summary.id, demo.lsoas);
    const byMonth = new Map<string, typeof demo.crimeBlocks>();
    for (const block of demo.crimeBlocks) byMonth.set(block.month, [...(byMonth.get(block.month) ?? []), block]);
    // Each block is stored in its LSOA's district partition (crime.ts), as the importer stores real data.
    const districtOf = new Map(demo.lsoas.map((l) => [l.code, l.districtCode]));
    const partition = (code: string) => partitionOf(code, (c) => districtOf.get(c));
    for (const [month, blocks] of byMonth) await deps.reference.replaceCrimeMonth(demo.summary.id, month, blocks, partition);
    // The summary goes last: a dataset is listed only once all of it is stored.
    await deps.reference.putDataset(demo.summary);
    result.seededReference = true;
  }
  if (orgEmpty) {
    const seeder: Principal = { userId: 'demo-seed', orgId, role: 'admin', name: 'Demo seed' };
    const put = async (kind: AssetKind, items: { id: string; input: unknown }[]) => {
      for (const { id, input } of items) {
        // A start-up interrupted mid-seed may have written some already.
        if (await deps.assets.get(orgId, kind, id)) continue;
        await deps.assetService.create(seeder, kind, input, id);
      }
    };
    await put('cameras', demo.assets.cameras);
    await put('help-points', demo.assets.helpPoints);
    await put('pspo-zones', demo.assets.pspoZones);
    await put('safer-streets-areas', demo.assets.saferStreetsAreas);
    await deps.assets.setMarker(orgId, DEMO_ASSETS_MARKER);
    result.seededAssets = true;
  }
  return result;
}
