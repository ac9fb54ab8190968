/** The express application: security headers, size limits, health, metrics and one JSON error handler. */
import express, { type ErrorRequestHandler, type Express, type RequestHandler } from "express";
import helmet from "helmet";
import { AppError } from "../errors.js";
import type { Logger } from "../logger.js";
import type { Metrics } from "./metrics.js";

/** What the HTTP layer needs from the rest of the app. */
export interface HttpDeps {
  logger: Logger;
  metrics: Metrics;
  bodyLimit: string;
  /** True when the store answers. */
  ready(): Promise<boolean>;
  /** Extra routers mounted before the fallback (channels' webhooks, admin). */
  mount?: (app: Express) => void;
}

/** Builds the express app without listening, e.g. `createHttpApp(deps).listen(3000)` in main. */
export function createHttpApp(deps: HttpDeps): Express {
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", "loopback");
  app.use(helmet());
  app.use(timing(deps.metrics));

  app.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  app.get("/readyz", async (_req, res) => {
    const ok = await deps.ready();
    res.status(ok ? 200 : 503).json({ status: ok ? "ready" : "unavailable", store: ok ? "up" : "down" });
  });
  app.get("/metrics", async (_req, res) => {
    res.set("Content-Type", deps.metrics.registry.contentType);
    res.send(await deps.metrics.registry.metrics());
  });

  deps.mount?.(app);

  app.use((_req, _res, next) => next(new AppError("NOT_FOUND", 404, "errors:http.notFound", "Not found")));
  app.use(errorHandler(deps.logger));
  return app;
}

function timing(metrics: Metrics): RequestHandler {
  return (req, res, next) => {
    const end = metrics.httpDuration.startTimer({ method: req.method });
    res.on("finish", () => {
      const route =
        (req.route as { path?: string } | undefined)?.path ??
        (res.statusCode === 404 ? "unmatched" : req.baseUrl || req.path);
      end({ route });
      metrics.httpRequests.inc({ method: req.method, route, status: String(res.statusCode) });
    });
    next();
  };
}

/** The one error handler: stable code and status in JSON, details only for client errors, no stack. */
function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    let status = 500;
    let code = "INTERNAL";
    let message = "Internal server error";
    let details: unknown;
    if (err instanceof AppError) {
      ({ status, code, message, details } = err);
    } else if (isHttpError(err)) {
      status = err.status;
      code =
        err.type === "entity.too.large"
          ? "PAYLOAD_TOO_LARGE"
          : err.type === "entity.parse.failed"
            ? "MALFORMED_JSON"
            : "BAD_REQUEST";
      message =
        err.type === "entity.too.large"
          ? "Request body too large"
          : err.type === "entity.parse.failed"
            ? "Malformed JSON body"
            : "Bad request";
    }
    if (status >= 500) logger.error({ err, method: req.method, path: req.path }, "request failed");
    else logger.debug({ code, method: req.method, path: req.path }, "request rejected");
    if (res.headersSent) return;
    res.status(status).json({ error: { code, message, ...(details !== undefined ? { details } : {}) } });
  };
}

function isHttpError(err: unknown): err is { status: number; type?: string } {
  return (
    typeof err === "object" &&
    err !== null &&
    typeof (err as { status?: unknown }).status === "number" &&
    (err as { status: number }).status >= 400 &&
    (err as { status: number }).status < 500
  );
}
