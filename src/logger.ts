/** Structured JSON logging with pino; secrets and personal data are redacted by path. */
import { pino, type Logger, type DestinationStream } from "pino";

export type { Logger };

/** Paths that must never reach a log line (tokens sit in headers and URLs; contacts are personal data). */
export const REDACT_PATHS = [
  "token",
  "*.token",
  "accessToken",
  "*.accessToken",
  "refreshToken",
  "*.refreshToken",
  "secret",
  "*.secret",
  "password",
  "*.password",
  "req.headers.authorization",
  "req.headers.cookie",
  'req.headers["x-telegram-bot-api-secret-token"]',
  'req.headers["x-bot-api-secret-token"]',
  "phone",
  "*.phone",
];

/** Creates the process logger, e.g. `createLogger({ level: "info" })`; pass `destination` to capture output. */
export function createLogger(opts: { level: string; destination?: DestinationStream }): Logger {
  return pino(
    { level: opts.level, redact: { paths: REDACT_PATHS, censor: "[redacted]" }, base: { app: "motcua" } },
    opts.destination,
  );
}
