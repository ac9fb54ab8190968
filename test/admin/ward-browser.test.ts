/**
 * A ward's editor at work in a real browser (Debian's Chromium through playwright-core), with an
 * account limited to Phường Hòa An and the sample content as shipped (issue 16 points 1 and 6): add a
 * Hỏi – Đáp and a hotline by form and hear the bot answer with them, edit the ward's office hours,
 * retire and restore an item, and export the quarter as .xlsx and .docx, read back and checked
 * against the known dataset. Screenshots go to test/artifacts/ (ignored by git).
 */
import { execFileSync, execSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { contentModels } from "../../src/store/models/content.js";
import { startAllChannels, type AllChannels } from "../helpers/channels.js";
import { createStaff, TEST_PASSWORD } from "../helpers/console.js";
import { zaloBotDriver, type Driver } from "../helpers/drivers.js";
import { docxParagraphs, docxTableRows, openXlsx } from "../helpers/office.js";
import { REPORT_NOW, seedOutreachDataset, U } from "../helpers/report-dataset.js";

const ARTIFACTS = path.resolve("test/artifacts");
const EDITOR = "bien.tap.hoa.an";

function which(...names: string[]): string | undefined {
  for (const n of names) {
    try {
      return execSync(`command -v ${n}`, { shell: "/bin/sh" }).toString().trim() || undefined;
    } catch {
      // not installed; try the next name
    }
  }
  return undefined;
}
const CHROMIUM = which("chromium", "chromium-browser");
const LIBREOFFICE = which("soffice", "libreoffice");

let all: AllChannels;
let browser: Browser;
let page: Page;
let citizen: Driver;
let docxPath = "";

const shot = (name: string) =>
  page.screenshot({ path: path.join(ARTIFACTS, `ward-${name}.png`), fullPage: true });
const flash = () => page.locator(".flash").textContent();

beforeAll(async () => {
  if (!CHROMIUM)
    throw new Error("Chromium is not installed: run `apt-get install -y chromium` (the CI script does).");
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  // The app's clock stands in early January 2027, after the quarter the report covers.
  const offset = REPORT_NOW.getTime() - Date.now();
  all = await startAllChannels({}, { now: () => new Date(Date.now() + offset) });
  await seedOutreachDataset(all.app.app.store.connection);
  await createStaff(all.app.app, "editor", [U], EDITOR);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--no-sandbox", "--disable-background-networking", "--disable-dev-shm-usage"],
  });
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  page.setDefaultTimeout(10_000);
  await page.route(
    (url) => !url.href.startsWith(all.app.url),
    (route) => route.abort(),
  );
  await page.goto(`${all.app.url}/admin/login`);
  await page.getByLabel("Tên đăng nhập").fill(EDITOR);
  await page.getByLabel("Mật khẩu").fill(TEST_PASSWORD);
  await page.keyboard.press("Enter");
  await page.waitForURL(`${all.app.url}/admin`);
  citizen = zaloBotDriver(all.bot, "zb-ward-editor-1");
  await citizen.say("/start");
  await citizen.choose("u:phuong-hoa-an", "Phường Hòa An (đơn vị mẫu)");
}, 90_000);
afterAll(async () => {
  await browser?.close();
  await all?.close();
});

describe("a ward's editor in the console", () => {
  // First, before any chat adds to the quarter's figures.
  it("should export the quarter as an Excel workbook and a Word draft with the known figures", async () => {
    await page.getByRole("navigation").getByRole("link", { name: "Báo cáo" }).click();
    // Only the editor's own ward can be chosen.
    expect(await page.getByLabel("Đơn vị").locator("option").allTextContents()).toEqual([
      "Phường Hòa An (đơn vị mẫu)",
    ]);
    await page.getByLabel("Kỳ báo cáo").selectOption("quarter");
    await page.getByLabel("Năm", { exact: true }).fill("2026");
    await page.getByLabel(/Quý \/ nửa năm số/).fill("4");
    await shot("reports");

    const [xlsx] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Tải Excel (.xlsx)" }).click(),
    ]);
    expect(xlsx.suggestedFilename()).toBe(`bao-cao-${U}-2026-10-01-2026-12-31.xlsx`);
    const xlsxPath = path.join(ARTIFACTS, "ward-report.xlsx");
    await xlsx.saveAs(xlsxPath);
    const wb = await openXlsx(fs.readFileSync(xlsxPath));
    expect(wb.worksheets).toHaveLength(11);
    const figures = new Map<string, unknown>();
    wb.worksheets[0]!.eachRow((row) => {
      const label = row.getCell(1).value;
      if (typeof label === "string") figures.set(label, row.getCell(2).value);
    });
    expect(figures.get("Đơn vị")).toBe("Phường Hòa An (đơn vị mẫu)");
    expect(figures.get("Kỳ báo cáo")).toBe("Quý IV năm 2026");
    expect(figures.get("Số thông báo đã gửi")).toBe(1);
    expect(figures.get("Số người dân nhận được")).toBe(2);
    expect(figures.get("Tổng số câu hỏi")).toBe(8);
    expect(figures.get("Trả lời được")).toBe(5);
    expect(figures.get("Chưa trả lời được")).toBe(2);
    expect(figures.get("Số phản ánh, kiến nghị tiếp nhận")).toBe(3);
    expect(figures.get("Quá hạn")).toBe(2);
    expect(figures.get("Chỉ số hài lòng (Rất hài lòng + Hài lòng)")).toBeCloseTo(0.6);

    const [docx] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Tải bản dự thảo báo cáo (Word .docx)" }).click(),
    ]);
    expect(docx.suggestedFilename()).toBe(`bao-cao-${U}-2026-10-01-2026-12-31.docx`);
    docxPath = path.join(ARTIFACTS, "ward-report.docx");
    await docx.saveAs(docxPath);
    const bytes = fs.readFileSync(docxPath);
    const paras = docxParagraphs(bytes);
    for (const line of [
      "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
      "Độc lập - Tự do - Hạnh phúc",
      "PHƯỜNG HÒA AN",
      "Số:        /BC-UBND",
      "BÁO CÁO",
      "Kết quả công tác tuyên truyền cải cách hành chính qua chatbot Quý IV năm 2026",
      "Nơi nhận:",
      "TM. ỦY BAN NHÂN DÂN",
    ])
      expect(paras, line).toContain(line);
    expect(paras.join("\n")).toContain("2 tin nhắn được gửi thành công tới 2 người dân");
    expect(paras.join("\n")).toContain("chatbot trả lời được 5 câu");
    expect(docxTableRows(bytes)).toContainEqual(["Rất hài lòng", "2"]);
  });

  it.skipIf(!LIBREOFFICE)("should render the Word draft to PDF with LibreOffice and screenshot it", () => {
    const out = path.join(ARTIFACTS, "ward-report-pdf");
    fs.mkdirSync(out, { recursive: true });
    execFileSync(LIBREOFFICE!, ["--headless", "--convert-to", "pdf", "--outdir", out, docxPath], {
      timeout: 120_000,
    });
    const pdf = fs.readFileSync(path.join(out, "ward-report.pdf"));
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    execFileSync(LIBREOFFICE!, ["--headless", "--convert-to", "png", "--outdir", out, docxPath], {
      timeout: 120_000,
    });
    expect(fs.statSync(path.join(out, "ward-report.png")).size).toBeGreaterThan(1000);
  });
  if (!LIBREOFFICE)
    console.info(
      "LibreOffice (soffice) is not installed: the .docx → PDF rendering and its screenshot are skipped.",
    );

  it("should show which items are theirs and offer no province-wide choice", async () => {
    await page.getByRole("navigation").getByRole("link", { name: "Nội dung" }).click();
    await expect.poll(() => page.locator("main").textContent()).toMatch(/Nội dung của đơn vị bạn/);
    await page.getByRole("link", { name: "Hỏi – Đáp" }).first().click();
    await page.getByRole("link", { name: "Hiện tất cả" }).click();
    const row = (text: string) => page.locator("tr", { hasText: text });
    await expect.poll(() => row("Bộ phận một cửa là gì").textContent()).toMatch(/Chỉ xem/);
    await expect.poll(() => row("Bộ phận một cửa là gì").textContent()).toMatch(/Mọi đơn vị trong tỉnh/);
    // Unit names, never ids.
    expect(await page.locator("main").textContent()).not.toMatch(/phuong-hoa-an|xa-tan-loc|tinh-mau/);
    await shot("faqs-list");
  });

  it("should add a Hỏi – Đáp by form, preview it beside the form, and the bot should answer with it", async () => {
    await page.goto(`${all.app.url}/admin/content/faqs`);
    await page.getByRole("link", { name: "Thêm Hỏi – Đáp" }).click();
    expect(await page.getByLabel("Đơn vị").locator("option").allTextContents()).toEqual([
      "Phường Hòa An (đơn vị mẫu)",
    ]);
    // Saved empty: the problems are named and shown beside their fields, in Vietnamese.
    await page.getByRole("button", { name: "Lưu" }).click();
    await expect.poll(() => page.locator(".errors").textContent()).toMatch(/Câu hỏi: không được để trống/);
    await expect.poll(() => page.locator("#e-answer").textContent()).toMatch(/không được để trống/);
    await page
      .getByRole("textbox", { name: "Câu hỏi", exact: true })
      .fill("Phường có nhận hồ sơ vào sáng thứ Bảy không?");
    await page
      .getByRole("textbox", { name: "Câu trả lời", exact: true })
      .fill(
        "Có. Bộ phận một cửa phường Hòa An nhận hồ sơ sáng thứ Bảy từ 7 giờ 30 đến 11 giờ 30 (lịch mẫu).",
      );
    await page.getByLabel(/Cách người dân hay hỏi/).fill("thứ bảy có nhận hồ sơ không\nlàm việc thứ bảy");
    await page.getByRole("button", { name: "Xem trước" }).click();
    await expect
      .poll(() => page.locator("#preview .preview").first().textContent())
      .toMatch(/sáng thứ Bảy từ 7 giờ 30/);
    // On a desktop the preview sits beside the form.
    const form = (await page.locator(".editor > form").boundingBox())!;
    const side = (await page.locator("#preview").boundingBox())!;
    expect(side.x).toBeGreaterThan(form.x + form.width - 1);
    await shot("faq-preview");
    await page.getByRole("button", { name: "Lưu" }).click();
    await expect.poll(flash).toMatch(/Đã thêm/);
    await shot("faq-added");
    const answer = await citizen.say("phuong co lam viec thu bay khong");
    expect(answer).toContain("sáng thứ Bảy từ 7 giờ 30 đến 11 giờ 30");
  });

  it("should keep Save in view on a long form and the preview one tap away on a phone", async () => {
    await page.setViewportSize({ width: 390, height: 800 });
    await page.goto(`${all.app.url}/admin/content/units/${U}`);
    const save = page.getByRole("button", { name: "Lưu" });
    const box = (await save.boundingBox())!;
    expect(box.y + box.height).toBeLessThanOrEqual(800);
    expect(
      await page.evaluate("document.documentElement.scrollWidth - window.innerWidth"),
    ).toBeLessThanOrEqual(0);
    await page.getByRole("link", { name: "Xem chatbot trả lời ↓" }).click();
    await expect
      .poll(() => page.evaluate("document.getElementById('preview').getBoundingClientRect().top"))
      .toBeLessThan(800);
    await shot("phone-unit-preview");
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it("should add a hotline by form, explain a problem in words, and the bot should list it", async () => {
    await page.goto(`${all.app.url}/admin/content/hotlines`);
    await page.getByRole("link", { name: "Thêm đường dây nóng" }).click();
    await page
      .getByRole("textbox", { name: "Tên đường dây", exact: true })
      .fill("Bộ phận một cửa phường Hòa An (tiếp nhận hồ sơ)");
    await page.getByRole("textbox", { name: /^Số điện thoại/ }).fill("0xx-xxx-0103");
    await page.getByLabel("Giờ nghe máy").fill("Giờ hành chính");
    await page.getByRole("button", { name: "Lưu" }).click();
    // A placeholder number must be marked as a sample: said in words, beside the field.
    await expect.poll(() => page.locator(".errors").textContent()).toMatch(/số có chữ x là số mẫu/);
    await page.getByLabel(/Số liệu mẫu/).check();
    await page.getByRole("button", { name: "Lưu" }).click();
    await expect.poll(flash).toMatch(/Đã thêm/);
    await shot("hotline-added");
    await citizen.say("menu");
    const list = await citizen.choose("m:hot", all.app.app.t("vi", "menu.hotlines"));
    expect(list).toContain("Bộ phận một cửa phường Hòa An (tiếp nhận hồ sơ)");
    expect(list).toContain("0xx-xxx-0103");
  });

  it("should edit the ward's office hours, working days and closed dates, stored without empty fields", async () => {
    await page.goto(`${all.app.url}/admin/content`);
    await page.getByRole("link", { name: /Thông tin Phường Hòa An/ }).click();
    const hours =
      "Thứ Hai đến Thứ Sáu, sáng 7:30–11:30, chiều 13:30–17:00; sáng thứ Bảy 7:30–11:30 (giờ mẫu)";
    await page.getByLabel("Giờ làm việc (cách nói với người dân)").fill(hours);
    const third = page.getByRole("group", { name: "Buổi 3" });
    await third.getByLabel("T7").check();
    await third.getByLabel("Từ").fill("07:30");
    await third.getByLabel("Đến").fill("11:30");
    await page.getByLabel(/Ngày nghỉ/).fill("02/09/2026\n01/01/2027\n02/09/2027");
    await page.getByRole("button", { name: "Lưu" }).click();
    await expect.poll(flash).toMatch(/Đã lưu/);
    await shot("unit-hours-saved");
    const stored = await contentModels(all.app.app.store.connection).units.findOne({ key: U }).lean();
    expect(stored?.data).toMatchObject({
      office_hours: hours,
      closed_dates: ["2026-09-02", "2027-01-01", "2027-09-02"],
    });
    expect(stored?.data.working_hours).toContainEqual({ days: ["sat"], from: "07:30", to: "11:30" });
    // An empty optional field (the unit's phone) is absent, not null.
    expect(JSON.stringify(stored?.data)).not.toContain("null");
    expect(stored?.data).not.toHaveProperty("phone");
    await citizen.say("menu");
    const office = await citizen.choose("m:hot", all.app.app.t("vi", "menu.hotlines"));
    expect(office).toContain("sáng thứ Bảy 7:30–11:30");
  });

  it("should retire an item so the bot stops answering with it, and restore it", async () => {
    await page.goto(`${all.app.url}/admin/content/faqs?mine=1`);
    await page.getByRole("link", { name: "Phường có nhận hồ sơ vào sáng thứ Bảy không?" }).click();
    await page.getByRole("button", { name: "Ngừng sử dụng" }).click();
    await expect.poll(flash).toMatch(/Đã ngừng sử dụng/);
    expect(await citizen.say("phuong co lam viec thu bay khong")).not.toContain("sáng thứ Bảy từ 7 giờ 30");
    await page.getByRole("button", { name: "Dùng lại" }).click();
    await expect.poll(flash).toMatch(/Đã dùng lại/);
    expect(await citizen.say("phuong co lam viec thu bay khong")).toContain("sáng thứ Bảy từ 7 giờ 30");
  });
});
