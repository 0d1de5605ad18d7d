import { mapStackTracesOnFirstUse } from './source-maps';

/**
 * Imported first by the Lambda handler, so that stack traces are mapped from the first module on: an error thrown
 * while the rest of the bundle loads (Lambda's init error) shows its source lines too.
 */
mapStackTracesOnFirstUse();
