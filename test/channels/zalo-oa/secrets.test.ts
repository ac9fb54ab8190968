/**
 * The OA's two secrets (issue 18): webhooks are signed with the OA Secret Key, the OAuth refresh takes
 * the App Secret Key. With both right a forced refresh keeps the citizen answered; with the App key
 * wrong the refresh fails, the still-valid token keeps the OA replying, and operators are told (log
 * with the OAuth details, metric, console warning).
 */
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../../src/logger.js";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import { createStaff, signIn } from "../../helpers/console.js";
import { oaEnv, oaTextEvent, startZaloOaEmulator, type ZaloOaEmulator } from "../../emulators/zalo-oa.js";

let oa: ZaloOaEmulator;

let uid = 1;
const user = () => `9${String(Date.now()).slice(-9)}${uid++}`;

async function repliesTo(userId: string, min = 1) {
  const deadline = Date.now() + 5_000;
  while (oa.messagesTo(userId).length < min && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 20));
  return oa.messagesTo(userId);
}

/** Makes the stored access token due for refresh, as it is an hour after the seed or a day later. */
async function expireStoredToken(app: TestApp) {
  await app.app.store.connection
    .collection("zalo_oa_tokens")
    .updateOne({ _id: "oa" as never }, { $set: { expiresAt: new Date(Date.now() - 1_000) } });
}

describe("Zalo OA with two different secrets", () => {
  let app: TestApp;
  beforeAll(async () => {
    oa = await startZaloOaEmulator();
    app = await startTestApp(oaEnv(oa));
  });
  afterAll(async () => {
    await app.close();
    await oa.close();
  });

  it("should keep answering the citizen through a forced refresh (App key) with webhooks signed by the OA key", async () => {
    expect(oa.appSecret).not.toBe(oa.oaSecretKey);
    const hook = `${app.url}/webhooks/zalo-oa`;
    const calls = oa.refreshCalls;
    const u = user();
    expect((await oa.deliver(hook, oaTextEvent(oa.appId, u, "dang ky ket hon"))).status).toBe(200);
    expect((await repliesTo(u))[0]?.text).toContain("Đăng ký kết hôn");
    // Forced: the token is invalidated at Zalo (-216), and separately due by age.
    oa.revokeAccessToken();
    expect((await oa.deliver(hook, oaTextEvent(oa.appId, u, "dang ky khai sinh"))).status).toBe(200);
    expect((await repliesTo(u, 2))[1]?.text).toContain("Đăng ký khai sinh");
    await expireStoredToken(app);
    expect((await oa.deliver(hook, oaTextEvent(oa.appId, u, "dang ky tam tru"))).status).toBe(200);
    expect((await repliesTo(u, 3))[2]?.text).toContain("Đăng ký tạm trú");
    expect(oa.refreshCalls).toBe(calls + 2);
    expect(oa.refreshFailures).toEqual([]);
  });

  it("should refresh an idle OA's token when it falls due, with no message to send", async () => {
    const calls = oa.refreshCalls;
    await app.app.zaloOa!.keepFresh();
    expect(oa.refreshCalls).toBe(calls); // still fresh: nothing to do
    await expireStoredToken(app);
    await app.app.zaloOa!.keepFresh();
    expect(oa.refreshCalls).toBe(calls + 1);
    const stored = await app.app.store.connection
      .collection("zalo_oa_tokens")
      .findOne({ _id: "oa" as never });
    expect((stored?.expiresAt as Date).getTime()).toBeGreaterThan(Date.now() + 24 * 3600_000);
  });
});

describe("Zalo OA with the OA key given as the App Secret (the common mistake)", () => {
  let app: TestApp;
  const lines: string[] = [];
  beforeAll(async () => {
    const sink = new Writable({
      write(chunk: Buffer, _enc, cb) {
        lines.push(chunk.toString("utf8"));
        cb();
      },
    });
    oa = await startZaloOaEmulator();
    app = await startTestApp(
      { ...oaEnv(oa), ZALO_APP_SECRET: oa.oaSecretKey },
      { logger: createLogger({ level: "warn", destination: sink }) },
    );
  });
  afterAll(async () => {
    await app.close();
    await oa.close();
  });

  it("should fall back to the still-valid token when the refresh fails, and raise the alarm", async () => {
    const hook = `${app.url}/webhooks/zalo-oa`;
    const u = user();
    await oa.deliver(hook, oaTextEvent(oa.appId, u, "hotline"));
    await repliesTo(u);
    const failures = oa.refreshFailures.length;
    await expireStoredToken(app);
    expect((await oa.deliver(hook, oaTextEvent(oa.appId, u, "dang ky ket hon"))).status).toBe(200);
    expect((await repliesTo(u, 2))[1]?.text).toContain("Đăng ký kết hôn");
    expect(oa.refreshFailures.slice(failures)).toEqual([{ error: -14002, reason: "secret_key" }]);
    // A second message a moment later does not hammer the OAuth server.
    await oa.deliver(hook, oaTextEvent(oa.appId, u, "hotline"));
    await repliesTo(u, 3);
    expect(oa.refreshFailures.length).toBe(failures + 1);
    const metrics = await (await fetch(`${app.url}/metrics`)).text();
    expect(metrics).toMatch(/motcua_token_refresh_failures_total\{channel="zalo-oa"\} 1/);
    const log = lines.join("");
    expect(log).toContain("token refresh failed");
    expect(log).toContain("secret_key does not match the app");
    expect(log).not.toContain(oa.oaSecretKey);
    const stored = await app.app.store.connection
      .collection("zalo_oa_tokens")
      .findOne({ _id: "oa" as never });
    expect(stored?.refreshError).toMatchObject({ code: -14002 });
    // Staff see it on the console's dashboard.
    const staff = await signIn(app.url, await createStaff(app.app, "admin", [], "admin-secrets"));
    const dashboard = await (await staff.get("/admin")).text();
    expect(dashboard).toContain("ZALO_APP_SECRET");
    expect(dashboard).toContain("-14002");
  });
});
