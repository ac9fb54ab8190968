/**
 * The console as ward staff open it from another computer on the office network (issue 15): plain
 * HTTP on a non-loopback address of this machine, Chromium, accounts of two different wards. Sign-in
 * and the stylesheet must work over http (no forced https), a live chat must show a new message while
 * the reply being typed stays, and a broadcaster of the other ward checks an announcement's audience.
 */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { handoffModel } from "../../src/store/models/handoff.js";
import { startAllChannels, type AllChannels } from "../helpers/channels.js";
import { createStaff, TEST_PASSWORD } from "../helpers/console.js";
import { zaloBotDriver } from "../helpers/drivers.js";
import { botTextUpdate } from "../emulators/zalo-bot.js";

const UNIT = "phuong-hoa-an";
const OTHER = "xa-tan-loc";
/** Monday 23 November 2026, 09:00 in Viet Nam: staff are in. */
const offset = Date.parse("2026-11-23T02:00:00Z") - Date.now();
const lan = Object.values(os.networkInterfaces())
  .flat()
  .find((a) => a && a.family === "IPv4" && !a.internal)?.address;

let all: AllChannels;
let server: Server;
let base: string;
let browser: Browser;

describe.skipIf(!lan)("the console over plain HTTP from the office network (no LAN address: skipped)", () => {
  beforeAll(async () => {
    all = await startAllChannels(
      { HANDOFF_CONSOLE_UNITS: `${UNIT},${OTHER}` },
      { now: () => new Date(Date.now() + offset) },
    );
    server = await new Promise((resolve) => {
      const s = all.app.app.http.listen(0, lan!, () => resolve(s));
    });
    base = `http://${lan}:${(server.address() as AddressInfo).port}`;
    await createStaff(all.app.app, "handler", [UNIT], "xu-ly-hoa-an");
    await createStaff(all.app.app, "broadcaster", [OTHER], "phat-tin-tan-loc");
    browser = await chromium.launch({
      executablePath: "/usr/bin/chromium",
      headless: true,
      args: ["--no-sandbox", "--disable-dev-shm-usage"],
    });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    server?.closeAllConnections();
    await new Promise((r) => server?.close(r));
    await all?.close();
  });

  const signIn = async (username: string) => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const https: string[] = [];
    page.on("request", (r) => {
      if (r.url().startsWith("https:")) https.push(r.url());
    });
    await page.goto(`${base}/admin`);
    await page.getByLabel("Tên đăng nhập").fill(username);
    await page.getByLabel("Mật khẩu").fill(TEST_PASSWORD);
    await page.getByRole("button", { name: "Đăng nhập" }).click();
    await page.waitForURL(`${base}/admin`);
    // The stylesheet applied (it was fetched over http, not upgraded to https).
    expect(await page.evaluate("getComputedStyle(document.querySelector('main')).maxWidth")).toBe("1200px");
    expect(https).toEqual([]);
    return page;
  };

  it("should let a ward's handler answer a live chat while a new message arrives, keeping the reply being typed", async () => {
    const page = await signIn("xu-ly-hoa-an");
    await page.goto(`${base}/admin/handoffs`);
    const citizen = zaloBotDriver(all.bot, "zb-lan-1");
    await citizen.say("/start");
    await citizen.choose(`u:${UNIT}`, "Phường Hòa An (đơn vị mẫu)");
    expect(await citizen.say("cho tôi gặp cán bộ tư vấn")).toMatch(/vị trí số 1/);
    const code = (await handoffModel(all.app.app.store.connection).findOne({ chatId: "zb-lan-1" }).lean())!
      ._id;
    await page.goto(`${base}/admin/handoffs/${code}`);
    const typed = "Chào anh/chị, hồ sơ khai sinh cần tờ khai và giấy chứng sinh";
    await page.getByLabel("Trả lời người dân").fill(typed);
    all.bot.push(botTextUpdate("zb-lan-1", "Con tôi sinh ở bệnh viện tỉnh"));
    await expect
      .poll(() => page.locator(".transcript").textContent(), { timeout: 10_000 })
      .toContain("Con tôi sinh ở bệnh viện tỉnh");
    expect(await page.getByLabel("Trả lời người dân").inputValue()).toBe(typed);
    await page.getByRole("button", { name: "Gửi" }).click();
    await expect.poll(() => page.locator(".flash").first().textContent()).toMatch(/Đã gửi/);
    await expect
      .poll(() => all.bot.messagesTo("zb-lan-1").join("\n"), { timeout: 5000 })
      .toContain("giấy chứng sinh");
  }, 60_000);

  it("should let the other ward's broadcaster check an announcement and see how many it reaches", async () => {
    const page = await signIn("phat-tin-tan-loc");
    await page.goto(`${base}/admin/announcements/new`);
    await page.getByLabel("Tiêu đề").fill("Tiếp công dân sáng thứ Bảy");
    await page.getByLabel("Nội dung").fill("Bộ phận một cửa làm việc sáng thứ Bảy hằng tuần.");
    await page.locator(`input[name=units][value=${OTHER}]`).check();
    const at = page.locator("input[name=at]");
    if (await at.isVisible()) await at.fill("2026-12-05T08:00");
    await page.locator("form").getByRole("button").last().click();
    await expect
      .poll(() => page.locator("main").textContent())
      .toMatch(/Hẹn gửi cho \d+ người|Gửi ngay cho \d+ người/);
  }, 60_000);
});
