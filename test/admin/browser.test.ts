/**
 * The console in a real browser (Debian's Chromium through playwright-core, never a downloaded one):
 * sign in, edit a procedure and see the bot's answer change, compose and schedule an announcement,
 * answer a ticket, and export the quarterly report as CSV and as a printed PDF. Screenshots and the
 * PDF are saved under test/artifacts/ (ignored by git).
 */
import { execSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAllChannels, type AllChannels } from "../helpers/channels.js";
import { createStaff, TEST_PASSWORD } from "../helpers/console.js";
import { zaloBotDriver } from "../helpers/drivers.js";

const ARTIFACTS = path.resolve("test/artifacts");
const UNIT = "phuong-hoa-an";

/** Debian's Chromium, as installed by `apt-get install chromium` (see .ci/run). */
function chromiumPath(): string {
  try {
    return execSync("command -v chromium || command -v chromium-browser", { shell: "/bin/sh" })
      .toString()
      .trim();
  } catch {
    throw new Error("Chromium is not installed: run `apt-get install -y chromium` (the CI script does).");
  }
}

let all: AllChannels;
let browser: Browser;
let page: Page;

const shot = (name: string) => page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });

beforeAll(async () => {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  all = await startAllChannels();
  await createStaff(all.app.app, "admin", [], "quan.tri");
  browser = await chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: ["--no-sandbox", "--disable-background-networking", "--disable-dev-shm-usage"],
  });
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  // The console must work offline: any request leaving the app is a failure.
  await page.route(
    (url) => !url.href.startsWith(all.app.url),
    (route) => route.abort(),
  );
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await all?.close();
});

describe("staff console in a browser", () => {
  it("should sign in with the keyboard and show the dashboard with its charts drawn", async () => {
    await page.goto(`${all.app.url}/admin`);
    await expect.poll(() => page.url()).toMatch(/\/admin\/login/);
    await page.getByLabel("Tên đăng nhập").fill("quan.tri");
    await page.getByLabel("Mật khẩu").fill(TEST_PASSWORD);
    await page.keyboard.press("Enter");
    await page.waitForURL(`${all.app.url}/admin`);
    await expect.poll(() => page.locator("h1").textContent()).toMatch(/Tổng quan/);
    // Chart.js (served locally, allowed by the content security policy) made a chart on every canvas.
    await page.waitForFunction(
      "['ch-questions', 'ch-subscribers', 'ch-top', 'ch-satisfaction'].every((id) => window.Chart && window.Chart.getChart(document.getElementById(id)) !== undefined)",
    );
    await shot("dashboard");
  });

  it("should edit a procedure, preview it as the bot shows it, save it, and the bot should answer with it", async () => {
    await page.getByRole("navigation").getByRole("link", { name: "Nội dung" }).click();
    await page.getByLabel("Tìm thủ tục").fill("khai tu");
    await page.getByRole("button", { name: "Tìm" }).click();
    await page.getByRole("link", { name: "Đăng ký khai tử", exact: true }).click();
    const fee = "Miễn lệ phí trong 15 ngày kể từ ngày chết (cán bộ cập nhật qua trình duyệt).";
    await page.getByRole("textbox", { name: "Phí, lệ phí" }).fill(fee);
    await page.getByRole("button", { name: "Xem trước" }).click();
    await expect
      .poll(() => page.locator(".preview").first().textContent())
      .toMatch(/cán bộ cập nhật qua trình duyệt/);
    await page.getByRole("button", { name: "Lưu" }).click();
    await expect.poll(() => page.locator(".flash").textContent()).toMatch(/Đã lưu/);
    await shot("procedure-saved");
    const answer = await zaloBotDriver(all.bot, "zb-browser-1").say("dang ky khai tu");
    expect(answer).toContain("cán bộ cập nhật qua trình duyệt");
  });

  it("should write, check and schedule an announcement", async () => {
    await page.getByRole("navigation").getByRole("link", { name: "Thông báo" }).click();
    await page.getByRole("link", { name: "Soạn thông báo mới" }).click();
    await page.getByLabel("Tiêu đề").fill("Tiếp công dân sáng thứ Bảy");
    await page.getByLabel("Nội dung").fill("Bộ phận một cửa làm việc sáng thứ Bảy hằng tuần.");
    await page.getByLabel("Phường Hòa An (đơn vị mẫu)").check();
    // Five days ahead, 08:00 Viet Nam time.
    const day = new Date(Date.now() + 7 * 3600_000 + 5 * 24 * 3600_000).toISOString().slice(0, 10);
    await page.getByLabel("Ngày giờ gửi (giờ Việt Nam)").fill(`${day}T08:00`);
    await page.getByRole("button", { name: "Tiếp tục: kiểm tra trước khi gửi" }).click();
    await expect.poll(() => page.locator("h1").textContent()).toMatch(/Kiểm tra trước khi gửi/);
    await page.getByRole("button", { name: /Hẹn gửi cho \d+ người/ }).click();
    await expect.poll(() => page.locator(".flash").textContent()).toMatch(/Đã tạo thông báo/);
    await expect.poll(() => page.locator("main").textContent()).toMatch(/Đã hẹn/);
    const [y, m, d] = day.split("-");
    await expect.poll(() => page.locator("main").textContent()).toContain(`${d}/${m}/${y} 08:00`);
    await shot("announcement-scheduled");
  });

  it("should answer a ticket and the citizen should get the answer", async () => {
    const { code } = await all.app.app.feedback.fileTicket({
      channel: "zalo-bot",
      chatId: "zb-browser-2",
      unit: UNIT,
      lang: "vi",
      category: "thu-tuc",
      text: "Tôi nộp hồ sơ cấp bản sao trích lục hộ tịch đã 5 ngày chưa có kết quả",
      publishConsent: false,
    });
    await page.getByRole("navigation").getByRole("link", { name: "Phản ánh, kiến nghị" }).click();
    await page.getByRole("link", { name: code }).click();
    await page
      .getByLabel("Trả lời người dân")
      .fill("Hồ sơ của ông/bà đã có kết quả, mời đến nhận tại Bộ phận một cửa.");
    await page.getByRole("button", { name: "Gửi trả lời" }).click();
    await expect.poll(() => page.locator(".flash").textContent()).toMatch(/Đã cập nhật phiếu/);
    await expect.poll(() => page.locator("main").textContent()).toMatch(/Đã trả lời/);
    await shot("ticket-answered");
    for (
      let i = 0;
      i < 100 && !all.bot.messagesTo("zb-browser-2").some((m) => m.includes("đã có kết quả"));
      i++
    )
      await new Promise((r) => setTimeout(r, 30));
    expect(all.bot.messagesTo("zb-browser-2").join("\n")).toContain("mời đến nhận tại Bộ phận một cửa");
  });

  it("should export the quarterly report as CSV and print it to one PDF", async () => {
    await page.getByRole("navigation").getByRole("link", { name: "Báo cáo" }).click();
    await page.getByLabel("Đơn vị").selectOption(UNIT);
    await page.getByLabel("Kỳ báo cáo").selectOption("quarter");
    await page.getByLabel("Năm", { exact: true }).fill("2026");
    await page.getByLabel(/Quý \/ nửa năm số/).fill("4");
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Tải CSV" }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`bao-cao-${UNIT}-2026-10-01-2026-12-31.csv`);
    const csvPath = path.join(ARTIFACTS, "report.csv");
    await download.saveAs(csvPath);
    const csv = fs.readFileSync(csvPath, "utf8");
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    expect(csv).toContain("Kỳ báo cáo,Quý IV năm 2026");
    await page.getByRole("button", { name: "Xem bản in" }).click();
    await expect
      .poll(() => page.locator("h1").textContent())
      .toMatch(/Báo cáo kết quả công tác tuyên truyền/);
    await expect.poll(() => page.locator("main").textContent()).toMatch(/Phường Hòa An \(đơn vị mẫu\)/);
    await expect.poll(() => page.locator("main").textContent()).toMatch(/Quý IV năm 2026/);
    await shot("report");
    await page.emulateMedia({ media: "print" });
    expect(await page.locator(".noprint").isVisible()).toBe(false);
    const pdf = await page.pdf({ format: "A4", printBackground: true });
    fs.writeFileSync(path.join(ARTIFACTS, "report.pdf"), pdf);
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    const pages = (pdf.toString("latin1").match(/\/Type\s*\/Page[^s]/g) ?? []).length;
    expect(pages).toBeGreaterThanOrEqual(1);
    expect(pages).toBeLessThanOrEqual(4);
    await page.emulateMedia({ media: "screen" });
  });

  it("should label every form control and fit a phone's screen on every page", async () => {
    await page.setViewportSize({ width: 390, height: 800 });
    for (const path of [
      "/admin",
      "/admin/content",
      "/admin/content/procedures/1.000656",
      "/admin/content/faqs/bo-phan-mot-cua-la-gi",
      "/admin/announcements",
      "/admin/tickets",
      "/admin/handoffs",
      "/admin/reports",
      "/admin/staff",
      "/admin/password",
    ]) {
      await page.goto(`${all.app.url}${path}`);
      const unlabelled = await page.evaluate(
        "[...document.querySelectorAll('input:not([type=hidden]), select, textarea')].filter((el) => el.labels.length === 0 && !el.getAttribute('aria-label')).map((el) => el.name)",
      );
      expect(unlabelled, path).toEqual([]);
      const overflow = await page.evaluate("document.documentElement.scrollWidth - window.innerWidth");
      expect(overflow, `${path} scrolls sideways`).toBeLessThanOrEqual(0);
    }
    await shot("phone-last-page");
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it("should switch the console to English", async () => {
    await page.goto(`${all.app.url}/admin/reports`);
    await page.getByRole("link", { name: "English" }).click();
    await expect.poll(() => page.locator("h1").textContent()).toMatch(/Outreach reports/);
    expect(await page.locator("html").getAttribute("lang")).toBe("en");
    await page.getByRole("link", { name: "Tiếng Việt" }).click();
    await expect.poll(() => page.locator("h1").textContent()).toMatch(/Báo cáo kết quả tuyên truyền/);
  });
});
