/** The express application: security headers, size limits, health, metrics and one JSON error handler. */
import express, { type ErrorRequestHandler, type Express, type Request, type RequestHandler } from "express";
import helmet from "helmet";
import { sameSecret } from "../channels/secret.js";
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
  /** Express's "trust proxy": whose `X-Forwarded-*` headers to believe (none by default). */
  trustProxy?: boolean | number | string;
  /** Bearer token that may read `/metrics` from other hosts; loopback may always. */
  metricsToken?: string | undefined;
}

/**
 * Helmet's headers for each scheme. Over plain http (an office LAN) neither HSTS nor the CSP's
 * `upgrade-insecure-requests` is sent: with them a browser fetches the stylesheet and posts the login
 * form over https, which the LAN address does not serve (issue 15).
 */
const securityHeaders = {
  // "same-origin": the console's own form posts carry their Origin (which the sign-in checks; under
  // "no-referrer" a browser sends `Origin: null`), other sites get no referrer at all.
  https: helmet({ referrerPolicy: { policy: "same-origin" } }),
  http: helmet({
    contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } },
    strictTransportSecurity: false,
    referrerPolicy: { policy: "same-origin" },
  }),
};

/** Whether a request comes from this machine (by the socket, never a forwarded header). */
export function fromLoopback(req: Request): boolean {
  const a = req.socket.remoteAddress ?? "";
  return a === "127.0.0.1" || a === "::1" || a === "::ffff:127.0.0.1";
}

/** Builds the express app without listening, e.g. `createHttpApp(deps).listen(3000)` in main. */
export function createHttpApp(deps: HttpDeps): Express {
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", deps.trustProxy ?? false);
  app.use((req, res, next) => {
    securityHeaders[req.secure ? "https" : "http"](req, res, next);
  });
  app.use(timing(deps.metrics));

  app.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  app.get("/readyz", async (_req, res) => {
    const ok = await deps.ready();
    res.status(ok ? 200 : 503).json({ status: ok ? "ready" : "unavailable", store: ok ? "up" : "down" });
  });
  app.get("/metrics", async (req, res, next) => {
    // Route names and sign-in failure counts are for the operators, not the world (issue 15).
    const bearer = /^Bearer (.+)$/.exec(req.get("authorization") ?? "")?.[1];
    const allowed =
      (bearer !== undefined && deps.metricsToken !== undefined && sameSecret(bearer, deps.metricsToken)) ||
      (bearer === undefined && fromLoopback(req) && !req.get("x-forwarded-for"));
    if (!allowed) {
      next(new AppError("UNAUTHORIZED", 401, "errors:http.unauthorized", "Send the metrics token"));
      return;
    }
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
