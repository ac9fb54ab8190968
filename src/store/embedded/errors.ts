/** MongoDB-style command errors (code, codeName) raised by the embedded store. */

/** Error codes from mongod's error_codes.yml that the embedded server answers with. */
export const ErrorCodes = {
  InternalError: 1,
  BadValue: 2,
  FailedToParse: 9,
  TypeMismatch: 14,
  IllegalOperation: 20,
  NamespaceNotFound: 26,
  ConflictingUpdateOperators: 40,
  CursorNotFound: 43,
  NamespaceExists: 48,
  DollarPrefixedFieldName: 52,
  CommandNotFound: 59,
  ImmutableField: 66,
  InvalidOptions: 72,
  InvalidNamespace: 73,
  IndexNotFound: 27,
  IndexOptionsConflict: 85,
  IndexKeySpecsConflict: 86,
  CommandNotSupported: 115,
  DuplicateKey: 11000,
  MergeStageNoMatchingDocument: 13113,
  Location16755: 16755,
  IDLUnknownField: 40415,
} as const;

const CODE_NAMES: Record<number, string> = Object.fromEntries(
  Object.entries(ErrorCodes).map(([name, code]) => [code, name]),
);

/** A failure answered to the client as `{ ok: 0, code, codeName, errmsg }`. */
export class CommandError extends Error {
  readonly code: number;
  readonly extra: Record<string, unknown>;
  constructor(code: number, message: string, extra: Record<string, unknown> = {}) {
    super(message);
    this.name = "CommandError";
    this.code = code;
    this.extra = extra;
  }
  get codeName(): string {
    return CODE_NAMES[this.code] ?? "UnknownError";
  }
  /** The reply document mongod would send for this error. */
  toReply(): Record<string, unknown> {
    return { ok: 0, errmsg: this.message, code: this.code, codeName: this.codeName, ...this.extra };
  }
}

/** Converts any thrown value into a CommandError (mingo throws plain Errors on bad operators). */
export function toCommandError(err: unknown): CommandError {
  if (err instanceof CommandError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new CommandError(ErrorCodes.BadValue, message);
}
