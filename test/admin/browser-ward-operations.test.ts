/**
 * A ward's day in Chromium (Debian's, through playwright-core), with accounts limited to one ward and
 * the sample content as shipped (issue 16): the ward's broadcaster writes an announcement, checks it
 * (audience by name, exact count, time, preview per channel), schedules it and edits it before it
 * starts; the ward's handler finds a ticket by part of its text and assigns it to a colleague, and
 * reads the inbox on a phone; an admin reads the audit log at 1366 px. Screenshots go to
 * test/artifacts/ward-*.png.
 */
import { execSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAllChannels, type AllChannels } from "../helpers/channels.js";
import { createStaff, TEST_PASSWORD } from "../helpers/console.js";

const ARTIFACTS = path.resolve("test/artifacts");
const UNIT = "phuong-hoa-an";
const UNIT_NAME = "Phường Hòa An (đơn vị mẫu)";

let all: AllChannels;
let browser: Browser;
let page: Page;
let ticketCode = "";

const shot = (name: string) =>
  page.screenshot({ path: path.join(ARTIFACTS, `ward-${name}.png`), fullPage: true });

async function signInAs(username: string) {
  await page.context().clearCookies();
  await page.goto(`${all.app.url}/admin/login`);
  await page.getByLabel("Tên đăng nhập").fill(username);
  await page.getByLabel("Mật khẩu").fill(TEST_PASSWORD);
  await page.getByRole("button", { name: "Đăng nhập" }).click();
  await page.waitForURL(`${all.app.url}/admin`);
}

beforeAll(async () => {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  all = await startAllChannels();
  const app = all.app.app;
  await createStaff(app, "broadcaster", [UNIT], "phat-tin-hoa-an");
  await createStaff(app, "handler", [UNIT], "xu-ly-hoa-an");
  await app.staff.create({
    username: "dong-nghiep-hoa-an",
    displayName: "Lê Thị Đồng Nghiệp",
    role: "handler",
    units: [UNIT],
    password: TEST_PASSWORD,
  });
  await createStaff(app, "handler", ["xa-tan-loc"], "xu-ly-tan-loc");
  await createStaff(app, "admin", [], "quan-tri-tinh");
  // Residents of the ward who subscribed through the bot's own flow would hold every topic.
  for (const [channel, chatId] of [
    ["telegram", "91001"],
    ["zalo-bot", "zb-91002"],
    ["zalo-oa", "oa-91003"],
  ] as const)
    await app.store.connection.collection("subscribers").insertOne({
      channel,
      chatId,
      unit: UNIT,
      lang: "vi",
      topics: ["thong-bao-chung", "dich-vu-cong", "thu-tuc-moi", "khao-sat"],
      active: true,
      consent: { version: "test", at: new Date() },
      lastInteractionAt: new Date(),
      createdAt: new Date(),
      updatedAt: new Date(),
    });
  for (let i = 0; i < 8; i++)
    await app.feedback.fileTicket({
      channel: "telegram",
      chatId: `92${i}`,
      unit: UNIT,
      lang: "vi",
      category: "khac",
      text: `Phản ánh thử số ${i} về trật tự vỉa hè`,
      publishConsent: false,
    });
  ticketCode = (
    await app.feedback.fileTicket({
      channel: "zalo-bot",
      chatId: "zb-92999",
      unit: UNIT,
      lang: "vi",
      category: "thu-tuc",
      text: "Đèn đường trong hẻm 42 Trần Phú bị hỏng đã hai tuần, buổi tối rất tối",
      contact: { name: "Nguyễn Văn A", phone: "0905123456" },
      contactConsentVersion: "2026-01",
      publishConsent: false,
    })
  ).code;
  browser = await chromium.launch({
    executablePath: execSync("command -v chromium || command -v chromium-browser", { shell: "/bin/sh" })
      .toString()
      .trim(),
    headless: true,
    args: ["--no-sandbox", "--disable-background-networking", "--disable-dev-shm-usage"],
  });
  page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  await page.route(
    (url) => !url.href.startsWith(all.app.url),
    (route) => route.abort(),
  );
}, 90_000);
afterAll(async () => {
  await browser?.close();
  await all?.close();
});

describe("a ward's broadcaster and handler in a browser", () => {
  it("should write, check, schedule, then edit an announcement before it starts", async () => {
    await signInAs("phat-tin-hoa-an");
    await page.getByRole("navigation").getByRole("link", { name: "Thông báo" }).click();
    await page.getByRole("link", { name: "Soạn thông báo mới" }).click();
    await page.getByLabel("Tiêu đề").fill("Tiếp công dân sáng thứ Bảy");
    await page
      .getByLabel(/^Nội dung/)
      .fill("Bộ phận **một cửa** làm việc sáng thứ Bảy. Đặt lịch: https://dichvucong.gov.vn");
    // One ward: its box is ticked already; the general topic too; a time, not "send now".
    expect(await page.getByLabel(UNIT_NAME).isChecked()).toBe(true);
    expect(await page.getByLabel("Thông báo chung").isChecked()).toBe(true);
    expect(await page.getByLabel("Hẹn giờ").isChecked()).toBe(true);
    const day = new Date(Date.now() + 7 * 3600_000 + 5 * 24 * 3600_000).toISOString().slice(0, 10);
    await page.getByLabel("Ngày giờ gửi (giờ Việt Nam)").fill(`${day}T08:00`);
    await page.getByRole("button", { name: "Tiếp tục: kiểm tra trước khi gửi" }).click();

    await expect.poll(() => page.locator("h1").textContent()).toMatch(/Kiểm tra trước khi gửi/);
    const n = await all.app.app.broadcast.estimate(
      { units: [UNIT], topics: ["thong-bao-chung"], channels: [] },
      false,
    );
    expect(n).toBeGreaterThanOrEqual(3);
    const main = (await page.locator("main").textContent()) ?? "";
    expect(main).toContain(UNIT_NAME);
    expect(main).toContain("Thông báo chung");
    expect(main).toContain("Zalo (Official Account)");
    expect(main).toContain("Zalo Bot");
    const [y, m, d] = day.split("-");
    expect(main).toContain(`Gửi lúc ${d}/${m}/${y} 08:00`);
    expect(main).not.toContain(UNIT + " ");
    // Bold and the link render in the Telegram preview; Zalo shows the words and the link too.
    expect(await page.locator(".preview b", { hasText: "một cửa" }).count()).toBeGreaterThan(0);
    expect(await page.locator('.preview a[href="https://dichvucong.gov.vn"]').count()).toBe(3);
    await shot("check");

    await page.getByRole("button", { name: `Hẹn gửi cho ${n} người` }).click();
    await expect.poll(() => page.locator(".flash").textContent()).toMatch(/Đã tạo thông báo/);
    await expect.poll(() => page.locator("main").textContent()).toMatch(/Đã hẹn/);
    await shot("scheduled");

    await page.getByRole("link", { name: "Sửa thông báo" }).click();
    await page.getByLabel("Tiêu đề").fill("Tiếp công dân sáng thứ Bảy (đổi giờ)");
    await page.getByLabel("Lặp lại định kỳ").check();
    await page.getByLabel("Lặp lại", { exact: true }).selectOption("week");
    await page.getByLabel("Vào thứ (nếu hằng tuần)").selectOption("6");
    await page.getByLabel("Lúc (giờ Việt Nam)").fill("07:30");
    await page.getByRole("button", { name: "Tiếp tục: kiểm tra trước khi gửi" }).click();
    await expect.poll(() => page.locator("main").textContent()).toMatch(/Thứ Bảy hằng tuần lúc 07:30/);
    await page.getByRole("button", { name: `Hẹn gửi cho ${n} người` }).click();
    await expect.poll(() => page.locator(".flash").textContent()).toMatch(/Đã lưu thay đổi/);
    const detail = (await page.locator("main").textContent()) ?? "";
    expect(detail).toContain("Tiếp công dân sáng thứ Bảy (đổi giờ)");
    expect(detail).toContain(UNIT_NAME);
    const stored = (await all.app.app.broadcast.list())[0]!;
    expect(stored.schedule).toMatchObject({ kind: "cron", cron: "30 7 * * 6" });
    await shot("edited");

    // Cancelling asks first.
    await page.getByRole("button", { name: "Hủy thông báo" }).click();
    await expect.poll(() => page.locator("main").textContent()).toMatch(/không khôi phục được/);
    await shot("confirm-cancel");
    await page.getByRole("link", { name: "Không, quay lại" }).click();
    expect((await all.app.app.broadcast.list())[0]!.status).toBe("scheduled");
  });

  it("should find a ticket by part of its text and assign it to a colleague", async () => {
    await signInAs("xu-ly-hoa-an");
    // The badge of new tickets is on every page.
    await expect
      .poll(() =>
        page
          .getByRole("navigation")
          .getByRole("link", { name: /Phản ánh, kiến nghị/ })
          .textContent(),
      )
      .toMatch(/9/);
    await page
      .getByRole("navigation")
      .getByRole("link", { name: /Phản ánh, kiến nghị/ })
      .click();
    await page.getByLabel("Tìm theo mã phiếu, nội dung hoặc số điện thoại").fill("hẻm 42 trần phú");
    await page.getByRole("button", { name: "Lọc" }).click();
    await expect.poll(() => page.getByRole("status").textContent()).toMatch(/Tìm thấy 1 phiếu/);
    await shot("found");
    await page.getByRole("link", { name: ticketCode }).click();
    const options = await page.getByLabel("Người xử lý").locator("option").allTextContents();
    expect(options.join("|")).toContain("Lê Thị Đồng Nghiệp");
    expect(options.join("|")).not.toContain("xu-ly-tan-loc");
    await page.getByLabel("Người xử lý").selectOption({ label: "Lê Thị Đồng Nghiệp" });
    await page.getByRole("button", { name: "Giao xử lý" }).click();
    await expect.poll(() => page.locator(".flash").textContent()).toMatch(/Đã cập nhật phiếu/);
    await expect.poll(() => page.locator("main").textContent()).toMatch(/Người xử lý: Lê Thị Đồng Nghiệp/);
    expect((await all.app.app.feedback.get(ticketCode))?.assignee).toBe("dong-nghiep-hoa-an");
    await shot("assigned");
  });

  it("should show status and due date on a phone without sideways scrolling", async () => {
    await page.setViewportSize({ width: 390, height: 800 });
    await page.goto(`${all.app.url}/admin/tickets`);
    const overflow = await page.evaluate("document.documentElement.scrollWidth - window.innerWidth");
    expect(overflow).toBeLessThanOrEqual(0);
    const row = page.locator("tbody tr").first();
    for (const label of ["Trạng thái", "Hạn trả lời"]) {
      const cell = row.locator(`td[data-label="${label}"]`);
      const box = (await cell.boundingBox())!;
      expect(box.x + box.width, label).toBeLessThanOrEqual(390);
      expect(await cell.isVisible()).toBe(true);
    }
    await shot("phone-inbox");
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it("should show the audit log readable at 1366 px without sideways overflow", async () => {
    await signInAs("quan-tri-tinh");
    await page.setViewportSize({ width: 1366, height: 900 });
    await page.goto(`${all.app.url}/admin/audit`);
    const overflow = await page.evaluate("document.documentElement.scrollWidth - window.innerWidth");
    expect(overflow).toBeLessThanOrEqual(0);
    const text = (await page.locator("main").textContent()) ?? "";
    expect(text).toContain("Giao xử lý phiếu");
    expect(text).toContain("Sửa thông báo");
    expect(text).toMatch(/Tiếp công dân sáng thứ Bảy\s*→\s*Tiếp công dân sáng thứ Bảy \(đổi giờ\)/);
    // The schedule reads as words, never as cron.
    expect(text).toMatch(/→\s*Thứ Bảy hằng tuần lúc 07:30/);
    expect(text).not.toContain("* * 6");
    await shot("audit-1366");
  });
});
