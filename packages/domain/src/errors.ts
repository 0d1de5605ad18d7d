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
