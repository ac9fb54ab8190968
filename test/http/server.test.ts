import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../helpers/app.js";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

describe("HTTP basics", () => {
  it("should answer /healthz and /readyz with 200 while the store is up", async () => {
    const health = await fetch(`${t.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: "ok" });
    const ready = await fetch(`${t.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: "ready", store: "up" });
  });

  it("should expose Prometheus metrics", async () => {
    await fetch(`${t.url}/healthz`);
    const res = await fetch(`${t.url}/metrics`);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toContain("motcua_http_requests_total");
    expect(text).toMatch(/motcua_http_requests_total\{method="GET",route="\/healthz",status="200"\} \d+/);
  });

  it("should answer unknown paths with a JSON 404 and security headers", async () => {
    const res = await fetch(`${t.url}/no/such/page`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: "NOT_FOUND", message: "Not found" } });
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("x-powered-by")).toBeNull();
  });
});

describe("readiness when the store goes away", () => {
  it("should turn /readyz to 503 when the embedded store stops", async () => {
    const own = await startTestApp();
    try {
      await own.app.store.embedded!.close();
      const res = await fetch(`${own.url}/readyz`);
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({ status: "unavailable", store: "down" });
      expect((await fetch(`${own.url}/healthz`)).status).toBe(200);
    } finally {
      await own.close();
    }
  });
});
