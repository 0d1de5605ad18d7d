/** Domain errors; the API maps each to one HTTP status. */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}
export class ValidationError extends DomainError {
  constructor(message: string, readonly details: { path: string; message: string }[] = []) {
    super('invalid_request', message);
  }
}
/** Well-formed but geometrically unusable input, e.g. a self-intersecting polygon. */
export class UnprocessableError extends DomainError {
  constructor(message: string, readonly point?: [number, number]) {
    super('invalid_geometry', message);
  }
}
/**
 * The request is well formed but would cost more than a documented limit (schemas' limits.ts): answered 413 with the
 * limit's name, what was asked and the most allowed, before any of the work is done.
 */
export class LimitExceededError extends DomainError {
  constructor(
    /** The limit's name, e.g. MAX_CRIMES_PER_ANALYSIS. */
    readonly limit: string,
    readonly asked: number,
    readonly max: number,
    message: string,
  ) {
    super('limit_exceeded', message);
  }
}
export class NotFoundError extends DomainError {
  constructor(
    message: string,
    /** The item exists but is a covert camera (or linked to one) the caller may not see: its audit event is sensitive too. */
    readonly hidesSensitive = false,
  ) {
    super('not_found', message);
  }
}
export class VersionConflictError extends DomainError {
  constructor(readonly currentVersion: number | null, message = 'the item was changed by someone else since you loaded it') {
    super('version_conflict', message);
  }
}
export class AlreadyExistsError extends DomainError {
  constructor(message: string) {
    super('already_exists', message);
  }
}
export class ForbiddenError extends DomainError {
  constructor(message: string) {
    super('forbidden', message);
  }
}

/**
 * Port errors: the service behind a port (the data store, the user directory) failed, not the request. They are not
 * DomainErrors (nothing is wrong with what the caller sent); adapters throw them and the API maps each with
 * `instanceof` to one status.
 */
export class PortError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The service behind a port refused for load: nothing was done, and the same request may be sent again later (503). */
export class PortThrottledError extends PortError {
  override readonly name: string = 'PortThrottledError';
}

/** The store's retries ran out on a store that kept refusing for load (e.g. BatchWriteItem kept handing items back). */
export class StoreThrottledError extends PortThrottledError {
  override readonly name: string = 'StoreThrottledError';
}

/**
 * A write failed and cleaning up after it failed too, so what is stored is not known: callers must not claim that
 * nothing changed (the API answers 500 and keeps an idempotent request's answer, since sending it again could
 * duplicate). Deliberately not a throttling error.
 */
export class WriteOutcomeUnknownError extends PortError {
  override readonly name: string = 'WriteOutcomeUnknownError';
}
