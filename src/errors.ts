/** A problem the user can fix, shown to them as is (ephemerally), never logged as a bot failure. */
export class UserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UserError';
  }
}

/** A start-up problem the operator can fix: printed as one clear line, without a stack trace. */
export class UserFacingStartupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UserFacingStartupError';
  }
}
