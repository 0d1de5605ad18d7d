import { describe, expect, it } from 'vitest';
import { UsageError, parseFetchArgs } from '../../src/fetch/args';

describe('parseFetchArgs', () => {
  it('reads the documented command line', () => {
    expect(parseFetchArgs(['--force', 'nottinghamshire', '--from', '2023-01', '--to', '2024-12', '--lad', 'E07000174,E07000170'])).toEqual({
      force: 'nottinghamshire',
      lads: ['E07000174', 'E07000170'],
      from: '2023-01',
      to: '2024-12',
      skipImport: false,
      help: false,
    });
  });

  it('accepts --flag=value, repeated --lad, lower-case codes and the optional flags', () => {
    const a = parseFetchArgs([
      '--force=Nottinghamshire', '--lad', 'e07000174', '--lad=E06000018,E07000174', '--out', 'x', '--dataset', 'notts',
      '--skip-import', '--police-api', 'http://127.0.0.1:1/api', '--ons-api', 'http://127.0.0.1:1/ons', '--data-dir', 'd',
      '--endpoint', 'http://localhost:8000', '--table', 't',
    ]);
    expect(a).toMatchObject({
      force: 'nottinghamshire', lads: ['E07000174', 'E06000018'], out: 'x', dataset: 'notts', skipImport: true,
      policeApi: 'http://127.0.0.1:1/api', onsApi: 'http://127.0.0.1:1/ons', dataDir: 'd', endpoint: 'http://localhost:8000', table: 't',
    });
    expect(a.from).toBeUndefined();
  });

  it('recognises --help without other flags', () => {
    expect(parseFetchArgs(['--help']).help).toBe(true);
    expect(parseFetchArgs(['-h']).help).toBe(true);
  });

  const bad: [string[], RegExp][] = [
    [['--lad', 'E07000174'], /--force is required/],
    [['--force', 'Notts Police', '--lad', 'E07000174'], /not a police.uk force id/],
    [['--force', 'nottinghamshire'], /--lad is required/],
    [['--force', 'nottinghamshire', '--lad', 'E0700017'], /'E0700017' is not a local authority district/],
    [['--force', 'nottinghamshire', '--lad', 'E01027980'], /'E01027980' is not a local authority district/],
    [['--force', 'nottinghamshire', '--lad', 'E07000174', '--from', '2024-13'], /--from '2024-13' is not a month/],
    [['--force', 'nottinghamshire', '--lad', 'E07000174', '--to', '24-01'], /--to '24-01' is not a month/],
    [['--force', 'nottinghamshire', '--lad', 'E07000174', '--from', '2024-06', '--to', '2024-01'], /--from 2024-06 is after --to 2024-01/],
    [['--force', 'nottinghamshire', '--lad', 'E07000174', '--bogus'], /unknown option --bogus/],
    [['--force', 'nottinghamshire', 'E07000174'], /unexpected argument 'E07000174'/],
    [['--force', '--lad', 'E07000174'], /--force needs a value/],
    [['--force', 'nottinghamshire', '--lad', 'E07000174', '--dataset', 'Bad Id'], /--dataset 'Bad Id'/],
    [['--force', 'nottinghamshire', '--lad', 'E07000174', '--police-api', 'data.police.uk'], /--police-api 'data.police.uk' is not an http/],
  ];
  it.each(bad)('rejects %j', (argv, message) => {
    expect(() => parseFetchArgs(argv)).toThrow(UsageError);
    expect(() => parseFetchArgs(argv)).toThrow(message);
  });
});
