/**
 * Signing in to the console (issue 15, points 11–16), against the real app: throttling by address and
 * username without lockout, proxy headers believed only when configured, login CSRF, password rules,
 * Secure cookies behind an https proxy, /metrics kept private, and http(s)-only links.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { guideSchema } from "../../src/content/schemas.js";
import { auditModel } from "../../src/store/models/staff.js";
import { startTestApp, type TestApp } from "../helpers/app.js";
import { createStaff, formBody, postLogin, signIn, TEST_PASSWORD } from "../helpers/console.js";

const METRICS_TOKEN = "metrics-token-0123456789abcdef";
const API_TOKEN = "sign-in-test-api-token-0123456789";
let proxied: TestApp;
let direct: TestApp;

beforeAll(async () => {
  // Behind a proxy on this machine (TRUST_PROXY=loopback), and without any proxy configured.
  [proxied, direct] = await Promise.all([
    startTestApp({ TRUST_PROXY: "loopback", METRICS_TOKEN, ADMIN_API_TOKEN: API_TOKEN }),
    startTestApp(),
  ]);
}, 60_000);
afterAll(async () => {
  await Promise.all([proxied?.close(), direct?.close()]);
});

/** A sign-in from a client address (as the trusted proxy reports it). */
const loginFrom = (app: TestApp, address: string, username: string, password: string) =>
  postLogin(app.url, { username, password }, { headers: { "x-forwarded-for": address } });
const noToken = (s: string) => s.replace(/name="_csrf" value="[^"]+"/, "");

describe("11. throttled, never locked", () => {
  it("should slow repeated failures with growing delays, answer unknown names alike, and let the owner in after the wait", async () => {
    await createStaff(proxied.app, "editor", ["phuong-hoa-an"], "bien-tap-hoa-an");
    const known: Response[] = [];
    for (let i = 0; i < 6; i++)
      known.push(await loginFrom(proxied, `198.51.100.${i}`, "bien-tap-hoa-an", "doan-sai-01"));
    expect(known.map((r) => r.status)).toEqual([401, 401, 401, 401, 401, 429]);
    const unknown: Response[] = [];
    for (let i = 0; i < 6; i++)
      unknown.push(await loginFrom(proxied, `198.51.101.${i}`, "khong-ton-tai", "doan-sai-01"));
    expect(unknown.map((r) => r.status)).toEqual(known.map((r) => r.status));
    expect(known[5]!.headers.get("retry-after")).toBe(unknown[5]!.headers.get("retry-after"));
    expect(noToken(await known[5]!.text())).toBe(noToken(await unknown[5]!.text()));
    expect(noToken(await known[0]!.text())).toBe(noToken(await unknown[0]!.text()));
    // The right password waits its turn (seconds, never a lockout), then works.
    let res = await loginFrom(proxied, "192.168.1.20", "bien-tap-hoa-an", TEST_PASSWORD);
    for (let tries = 0; res.status === 429 && tries < 3; tries++) {
      const seconds = Number(res.headers.get("retry-after"));
      expect(seconds).toBeGreaterThanOrEqual(1);
      expect(seconds).toBeLessThanOrEqual(60);
      await new Promise((r) => setTimeout(r, seconds * 1000 + 50));
      res = await loginFrom(proxied, "192.168.1.20", "bien-tap-hoa-an", TEST_PASSWORD);
    }
    expect(res.status).toBe(303);
    // Failed sign-ins are in the audit log, with the address they came from.
    const failed = await auditModel(proxied.app.store.connection)
      .find({ action: "staff.login.failed", target: "staff/bien-tap-hoa-an" })
      .lean();
    expect(failed.length).toBe(5);
    expect(failed.map((f) => (f.after as { address: string }).address).sort()).toEqual(
      ["198.51.100.0", "198.51.100.1", "198.51.100.2", "198.51.100.3", "198.51.100.4"].sort(),
    );
  }, 90_000);
});

describe("12. proxy headers only when configured; failures only", () => {
  it("should ignore X-Forwarded-For without TRUST_PROXY and never count good sign-ins", async () => {
    await createStaff(direct.app, "viewer", [], "mot-cua-1");
    // 25 good sign-ins from one office address (the old limit refused the 21st).
    for (let i = 0; i < 25; i++)
      expect((await postLogin(direct.url, { username: "mot-cua-1", password: TEST_PASSWORD })).status).toBe(
        303,
      );
    // A client cannot dodge the address throttle by inventing X-Forwarded-For.
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++)
      statuses.push(
        (
          await postLogin(
            direct.url,
            { username: `ten-${i}`, password: "doan-sai-01" },
            { headers: { "x-forwarded-for": `203.0.113.${i}` } },
          )
        ).status,
      );
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses[5]).toBe(429);
  });
});

describe("13. login CSRF", () => {
  it("should refuse a sign-in without the form's token or from another site", async () => {
    await createStaff(proxied.app, "viewer", [], "csrf-dang-nhap");
    const bare = await fetch(`${proxied.url}/admin/login`, {
      method: "POST",
      body: formBody({ username: "csrf-dang-nhap", password: TEST_PASSWORD }),
      redirect: "manual",
    });
    expect(bare.status).toBe(403);
    expect(await bare.text()).toContain("Trang đăng nhập đã cũ");
    const forged = await postLogin(
      proxied.url,
      { username: "csrf-dang-nhap", password: TEST_PASSWORD },
      { headers: { origin: "https://evil.example" } },
    );
    expect(forged.status).toBe(403);
    const own = await postLogin(
      proxied.url,
      { username: "csrf-dang-nhap", password: TEST_PASSWORD },
      { headers: { origin: proxied.url } },
    );
    expect(own.status).toBe(303);
  });
});

describe("14. password rules", () => {
  it("should refuse common passwords and ones containing the username, beside the field", async () => {
    await createStaff(proxied.app, "admin", [], "quan-tri-mk");
    const admin = await signIn(proxied.url, "quan-tri-mk");
    for (const [password, text] of [
      ["matkhau123456", "quá phổ biến"],
      ["Password1234", "quá phổ biến"],
      ["can.bo.moi.2026", "không được chứa tên đăng nhập"],
      ["ngan", "cần ít nhất 10 ký tự"],
    ] as const) {
      const res = await admin.post("/admin/staff", {
        username: "can.bo.moi",
        displayName: "Cán bộ mới",
        role: "viewer",
        password,
      });
      expect(res.status, password).toBe(400);
      expect(await res.text(), password).toMatch(
        new RegExp(`id="n-pw"[\\s\\S]{0,300}field-error[^>]*>[^<]*${text}`),
      );
    }
    // The own-password page holds to the same rules.
    const own = await admin.post("/admin/password", { current: TEST_PASSWORD, password: "1234567890" });
    expect(own.status).toBe(400);
    expect(await own.text()).toContain("quá phổ biến");
  });

  it("should make a password set by an admin or printed by staff:create one to change at first sign-in", async () => {
    await proxied.app.staff.create(
      {
        username: "in-mot-lan",
        displayName: "In một lần",
        role: "handler",
        units: [],
        password: "Tam-thoi-9x2Qp",
      },
      { mustChangePassword: true },
    );
    const s = await signIn(proxied.url, "in-mot-lan", "Tam-thoi-9x2Qp");
    expect((await s.get("/admin/tickets")).headers.get("location")).toBe("/admin/password");
    const api = await fetch(`${proxied.url}/admin/api/tickets`, { headers: { cookie: s.cookie } });
    expect(api.status).toBe(403);
    expect(((await api.json()) as { error: { code: string } }).error.code).toBe("PASSWORD_CHANGE_REQUIRED");
    expect(
      (await s.post("/admin/password", { current: "Tam-thoi-9x2Qp", password: "Tam-thoi-9x2Qp" })).status,
    ).toBe(400);
    expect(
      (await s.post("/admin/password", { current: "Tam-thoi-9x2Qp", password: "cua-rieng-toi-2026" })).status,
    ).toBe(303);
    const again = await signIn(proxied.url, "in-mot-lan", "cua-rieng-toi-2026");
    expect((await again.get("/admin/tickets")).status).toBe(200);
  });
});

describe("15. https behind a trusted proxy; /metrics private", () => {
  it("should mark the cookie Secure and send HSTS when the trusted proxy says https, and not otherwise", async () => {
    await createStaff(proxied.app, "viewer", [], "qua-https");
    const https = await postLogin(
      proxied.url,
      { username: "qua-https", password: TEST_PASSWORD },
      { headers: { "x-forwarded-proto": "https", "x-forwarded-host": new URL(proxied.url).host } },
    );
    expect(https.status).toBe(303);
    expect(https.headers.get("set-cookie")).toMatch(/motcua_sid=[^;]+;.*Secure/);
    expect(https.headers.get("strict-transport-security")).toMatch(/max-age=\d+/);
    expect(https.headers.get("content-security-policy")).toContain("upgrade-insecure-requests");
    const http = await postLogin(proxied.url, { username: "qua-https", password: TEST_PASSWORD });
    expect(http.headers.get("set-cookie")).not.toContain("Secure");
    expect(http.headers.get("strict-transport-security")).toBeNull();
  });

  it("should serve /metrics to loopback or the token only", async () => {
    expect((await fetch(`${proxied.url}/metrics`)).status).toBe(200);
    // Through the proxy (from anywhere): refused without the token, whatever the address claims.
    const outside = await fetch(`${proxied.url}/metrics`, { headers: { "x-forwarded-for": "127.0.0.1" } });
    expect(outside.status).toBe(401);
    expect(await outside.text()).not.toContain("motcua_http_requests_total");
    const wrong = await fetch(`${proxied.url}/metrics`, {
      headers: { "x-forwarded-for": "203.0.113.7", authorization: "Bearer wrong-token-0123456789abcdef" },
    });
    expect(wrong.status).toBe(401);
    const ok = await fetch(`${proxied.url}/metrics`, {
      headers: { "x-forwarded-for": "203.0.113.7", authorization: `Bearer ${METRICS_TOKEN}` },
    });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain("motcua_http_requests_total");
  });
});

describe("16. http(s)-only links", () => {
  it("should refuse javascript: and data: links in announcements and content", async () => {
    for (const url of ["javascript:alert(1)", "data:text/html,<b>x</b>"]) {
      const res = await fetch(`${proxied.url}/admin/api/announcements`, {
        method: "POST",
        headers: { authorization: `Bearer ${API_TOKEN}`, "content-type": "application/json" },
        body: JSON.stringify({
          title: "Thông báo",
          body: "Nội dung",
          link: { label: "Mở", url },
          audience: { units: ["phuong-hoa-an"], topics: ["thong-bao-chung"] },
        }),
      });
      expect(res.status, url).toBe(400);
      expect(JSON.stringify(await res.json())).toContain("link.url");
    }
    await createStaff(proxied.app, "editor", [], "bien-tap-link");
    const editor = await signIn(proxied.url, "bien-tap-link");
    const page = await (await editor.get("/admin/content/guides/vneid-muc-2")).text();
    const yaml = /id="yaml"[^>]*>\n?([\s\S]*?)<\/textarea>/.exec(page)?.[1];
    if (yaml !== undefined) {
      const unescaped = yaml
        .replace(/&quot;/g, '"')
        .replace(/&#39;/g, "'")
        .replace(/&lt;/g, "<")
        .replace(/&gt;/g, ">")
        .replace(/&amp;/g, "&");
      const bad = unescaped.replace(/url: https?:\/\/\S+/, "url: javascript:alert(1)");
      expect(bad).not.toBe(unescaped);
      const res = await editor.post("/admin/content/guides/vneid-muc-2", { yaml: bad });
      expect(res.status).toBe(400);
    }
    const stored = proxied.app.content.bundle().guides.find((g) => g.slug === "vneid-muc-2")!;
    expect(JSON.stringify(stored)).not.toContain("javascript:");
    // Whatever form the console uses, the content schema itself refuses such a link.
    const withLink = { ...stored, links: [{ label: "Mở", url: "javascript:alert(1)" }] };
    expect(guideSchema.safeParse(withLink).success).toBe(false);
    expect(
      guideSchema.safeParse({ ...withLink, links: [{ label: "Mở", url: "https://dichvucong.gov.vn" }] })
        .success,
    ).toBe(true);
  });
});
