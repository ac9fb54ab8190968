/** Typed application errors with stable codes, caught in one place per entry point. */

/** An error the caller can act on: a stable `code`, an HTTP `status` and an i18n `messageKey`. */
export class AppError extends Error {
  readonly code: string;
  readonly status: number;
  readonly messageKey: string;
  readonly details: unknown;
  constructor(code: string, status: number, messageKey: string, message?: string, details?: unknown) {
    super(message ?? code);
    this.name = "AppError";
    this.code = code;
    this.status = status;
    this.messageKey = messageKey;
    this.details = details;
  }
}
