/** Prometheus metrics for one app instance (its own registry, so tests can build many apps). */
import { collectDefaultMetrics, Counter, Histogram, Registry } from "prom-client";

/** The metrics an app exposes on `/metrics`. */
export interface Metrics {
  registry: Registry;
  httpRequests: Counter<"method" | "route" | "status">;
  httpDuration: Histogram<"method" | "route">;
  /** Failed OAuth refreshes of a platform token (Zalo OA): a rise needs an operator. */
  tokenRefreshFailures: Counter<"channel">;
}

/** Creates a registry with default process metrics and the HTTP request counters. */
export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "motcua_" });
  return {
    registry,
    httpRequests: new Counter({
      name: "motcua_http_requests_total",
      help: "HTTP requests by method, route and status",
      labelNames: ["method", "route", "status"],
      registers: [registry],
    }),
    httpDuration: new Histogram({
      name: "motcua_http_request_duration_seconds",
      help: "HTTP request duration",
      labelNames: ["method", "route"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    tokenRefreshFailures: new Counter({
      name: "motcua_token_refresh_failures_total",
      help: "Failed OAuth token refreshes by channel",
      labelNames: ["channel"],
      registers: [registry],
    }),
  };
}
