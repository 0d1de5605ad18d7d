import { main } from '../src/basemap/cli';

// `npm run fetch-basemap -- --bbox … | --force …`: see apps/api/src/basemap/cli.ts and docs/operations/basemap.md.
process.exitCode = await main(process.argv.slice(2));
