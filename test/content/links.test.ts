/**
 * The link checker against a local stand-in server: statuses, HEAD refused then GET, timeouts,
 * refused connections, and never more requests at once than asked.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkLinks, collectLinks } from "../../src/content/links.js";
import { readContentDir } from "../../src/content/loader.js";

let server: http.Server;
let base: string;
let inFlight = 0;
let maxInFlight = 0;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    // Only the concurrency test's requests are counted (a timed-out one may still be held here).
    const counted = req.url?.startsWith("/ok/") ?? false;
    if (counted) maxInFlight = Math.max(maxInFlight, ++inFlight);
    const done = (status: number) => {
      if (counted) inFlight--;
      res.statusCode = status;
      res.end();
    };
    if (req.url === "/hang") return void setTimeout(() => done(200), 5_000);
    if (req.url === "/no-head" && req.method === "HEAD") return void done(405);
    if (req.url?.startsWith("/gone")) return void done(404);
    setTimeout(() => done(200), 30);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

describe("checkLinks", () => {
  it("should record each link's status, try GET when HEAD is refused, and time out", async () => {
    const links = ["/ok", "/no-head", "/gone", "/hang"].map((p) => ({ url: `${base}${p}`, refs: [p] }));
    const r = await checkLinks(links, { concurrency: 4, timeoutMs: 2_000 });
    expect(r.map((x) => [x.status, x.ok, x.error])).toEqual([
      [200, true, undefined],
      [200, true, undefined],
      [404, false, undefined],
      [0, false, "timeout"],
    ]);
  });

  it("should keep to the concurrency bound", async () => {
    maxInFlight = 0;
    const links = Array.from({ length: 12 }, (_, i) => ({ url: `${base}/ok/${i}`, refs: [] }));
    const r = await checkLinks(links, { concurrency: 3, timeoutMs: 2_000 });
    expect(r.every((x) => x.ok)).toBe(true);
    expect(maxInFlight).toBeLessThanOrEqual(3);
    expect(maxInFlight).toBeGreaterThan(1);
  });

  it("should send requests to the stand-in origin, keeping path and query", async () => {
    const r = await checkLinks([{ url: "https://example.invalid/gone?x=1", refs: [] }], {
      concurrency: 1,
      timeoutMs: 1_000,
      origin: base,
    });
    expect(r[0]).toMatchObject({ url: "https://example.invalid/gone?x=1", status: 404, ok: false });
  });

  it("should report a refused connection as failing, not throw", async () => {
    const r = await checkLinks([{ url: "http://127.0.0.1:9/x", refs: [] }], {
      concurrency: 1,
      timeoutMs: 1_000,
    });
    expect(r[0]).toMatchObject({ status: 0, ok: false });
  });
});

describe("collectLinks", () => {
  it("should list the sample content's links once each, never a page built from a procedure code", () => {
    const read = readContentDir("content");
    if (!read.ok) throw new Error("sample content invalid");
    const links = collectLinks(read.bundle);
    const urls = links.map((l) => l.url);
    expect(new Set(urls).size).toBe(urls.length);
    expect(urls).toContain("https://dichvucong.gov.vn/p/home/dvc-tim-kiem-thu-tuc.html");
    expect(urls.some((u) => /\d\.\d{6}/.test(u))).toBe(false);
    expect(links.find((l) => l.url === "https://dichvucong.gov.vn")?.refs).toContain("guides/vneid-muc-2");
  });
});
