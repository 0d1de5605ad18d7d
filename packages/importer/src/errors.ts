/** Input the importer cannot use at all (unknown file, missing prerequisite). Nothing has been written. */
export class ImportInputError extends Error {}
