import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { CRIME_CATEGORIES, categoryFromLabel } from '@safer-places/schemas';
import { crimeToStreetRow, csvField, lookupCsv, streetCsv, streetCsvName, writeFileAtomic } from '../../src/fetch/files';
import type { PoliceCrime } from '../../src/fetch/police-api';

const crime = (over: Partial<PoliceCrime>): PoliceCrime => ({
  category: 'violent-crime',
  location_type: 'Force',
  location: { latitude: '53.143559', longitude: '-1.268898', street: { id: 1, name: 'On or near Birchwood Close' } },
  context: '',
  outcome_status: { category: 'Unable to prosecute suspect', date: '2024-01' },
  persistent_id: '91e13b1750777c1611f9a8238d9d266d7bf4263fea9a90680dc26c9debad346c',
  id: 115000001,
  location_subtype: '',
  month: '2024-01',
  ...over,
});

describe('police.uk street CSV', () => {
  it('has the exact 12-column header', () => {
    const header = streetCsv([]).split('\n')[0];
    expect(header).toBe('Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context');
  });

  it('writes a crime as police.uk does, leaving the LSOA blank', () => {
    const { row } = crimeToStreetRow(crime({}), 'Nottinghamshire Police', '2024-01');
    expect(streetCsv([row!]).split('\n')[1]).toBe(
      '91e13b1750777c1611f9a8238d9d266d7bf4263fea9a90680dc26c9debad346c,2024-01,Nottinghamshire Police,Nottinghamshire Police,-1.268898,53.143559,On or near Birchwood Close,,,Violence and sexual offences,Unable to prosecute suspect,',
    );
  });

  it('maps every API category slug to its CSV label', () => {
    for (const c of CRIME_CATEGORIES) {
      const { row } = crimeToStreetRow(crime({ category: c.slug }), 'X', '2024-01');
      expect(row![9]).toBe(c.label);
      expect(categoryFromLabel(row![9]!)).toBe(c.slug);
    }
    expect(crimeToStreetRow(crime({ category: 'public-disorder-weapons' }), 'X', '2024-01')).toEqual({ row: null, skipped: 'unknown-category' });
    expect(crimeToStreetRow(crime({ location: null }), 'X', '2024-01')).toEqual({ row: null, skipped: 'no-location' });
  });

  it('leaves Crime ID and outcome blank for anti-social behaviour', () => {
    const { row } = crimeToStreetRow(crime({ category: 'anti-social-behaviour', persistent_id: '', outcome_status: null }), 'Nottinghamshire Police', '2024-01');
    expect(streetCsv([row!]).split('\n')[1]).toBe(
      ',2024-01,Nottinghamshire Police,Nottinghamshire Police,-1.268898,53.143559,On or near Birchwood Close,,,Anti-social behaviour,,',
    );
  });

  it('quotes commas and quotes, and a CSV parser reads the rows back unchanged', () => {
    expect(csvField('On or near The Drive, Park Lane')).toBe('"On or near The Drive, Park Lane"');
    expect(csvField('On or near "The Oval"')).toBe('"On or near ""The Oval"""');
    expect(csvField('plain')).toBe('plain');
    const rows = [
      crimeToStreetRow(crime({ location: { latitude: '53.1', longitude: '-1.2', street: { id: 2, name: 'On or near The Drive, Park Lane' } } }), 'P', '2024-01').row!,
      crimeToStreetRow(crime({ context: 'Line one\nline "two"', location: { latitude: '53.1', longitude: '-1.2', street: { id: 3, name: 'On or near "The Oval"' } } }), 'P', '2024-01').row!,
    ];
    const text = streetCsv(rows);
    expect(text).toContain('"On or near The Drive, Park Lane"');
    expect(text.endsWith('\n')).toBe(true);
    const parsed = parse(text) as string[][];
    expect(parsed).toHaveLength(3);
    expect(parsed.slice(1)).toEqual(rows);
    expect(parsed.every((r) => r.length === 12)).toBe(true);
  });

  it('names files as the police.uk archive does', () => {
    expect(streetCsvName('2024-01', 'nottinghamshire')).toBe('2024-01-nottinghamshire-street.csv');
  });

  it('writes the lookup with the header the importer recognises', () => {
    expect(lookupCsv([{ lsoa21cd: 'E01027980', lsoa21nm: 'Ashfield 001B', wd24cd: 'E05012345', wd24nm: 'Kirkby, Central', lad24cd: 'E07000170', lad24nm: 'Ashfield' }])).toBe(
      'lsoa21cd,lsoa21nm,wd24cd,wd24nm,lad24cd,lad24nm\nE01027980,Ashfield 001B,E05012345,"Kirkby, Central",E07000170,Ashfield\n',
    );
  });

  it('writes atomically, leaving no temporary file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fetch-files-'));
    try {
      await writeFileAtomic(join(dir, 'sub', 'a.csv'), 'x\n');
      expect(await readFile(join(dir, 'sub', 'a.csv'), 'utf8')).toBe('x\n');
      expect(await readdir(join(dir, 'sub'))).toEqual(['a.csv']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
