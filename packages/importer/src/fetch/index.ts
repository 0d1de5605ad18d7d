/** Online download of police.uk crime and ONS boundaries (`npm run fetch-data`). */
export { USAGE as FETCH_USAGE, UsageError, parseFetchArgs, type FetchArgs } from './args';
export { buildStudyArea, quarter, type StudyArea } from './area';
export { fetchMonthCrimes, TooManyCrimesError, type MonthCrimes, type MonthCrimesOptions } from './crimes';
export { STREET_CSV_HEADER, crimeToStreetRow, streetCsv, streetCsvName, lookupCsv, boundariesGeoJson } from './files';
export { HttpClient, HttpError, parseRetryAfter, type HttpClientOptions } from './http';
export { DEFAULT_ONS_API, OnsApi, ONS_BOUNDARY_SERVICE, ONS_LOOKUP_SERVICE } from './ons-api';
export { DEFAULT_POLICE_API, LookupError, PoliceApi, boxToPoly, type PoliceCrime } from './police-api';
export { ATTRIBUTION, downloadData, type FetchIo, type FetchResult, type FetchSettings } from './run';
export { TokenBucket } from './token-bucket';
