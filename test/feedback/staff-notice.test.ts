/**
 * The optional notice of a new ticket to the unit's staff Telegram group (TICKET_NOTIFY_TELEGRAM),
 * sent through the Telegram channel's outbound path to the Bot API emulator (issue 16).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAllChannels, type AllChannels } from "../helpers/channels.js";
import { botMessages, chatIdOf } from "../helpers/telegram.js";

const GROUP = -1001234567890;
let all: AllChannels;

beforeAll(async () => {
  all = await startAllChannels({
    HANDOFF_TELEGRAM_GROUPS: `phuong-hoa-an=${GROUP}`,
    TICKET_NOTIFY_TELEGRAM: "true",
    PUBLIC_URL: "https://motcua.example.vn",
  });
}, 60_000);
afterAll(async () => {
  await all?.close();
});

describe("new-ticket notice to the staff group", () => {
  it("should tell the ward's staff group the code, category and text, with a link to the ticket", async () => {
    const { code } = await all.app.app.feedback.fileTicket({
      channel: "zalo-bot",
      chatId: "zb-notice-1",
      unit: "phuong-hoa-an",
      lang: "vi",
      category: "thu-tuc",
      text: "Hồ sơ cấp bản sao trích lục chưa có kết quả",
      contact: { name: "Nguyễn Văn A", phone: "0905123456" },
      contactConsentVersion: "2026-01",
      publishConsent: false,
    });
    const [m] = await botMessages(all.tg, GROUP);
    expect(m!.text).toContain(`Phản ánh mới <b>${code}</b> (Thủ tục hành chính)`);
    expect(m!.text).toContain("Hồ sơ cấp bản sao trích lục chưa có kết quả");
    expect(m!.text).toContain(`https://motcua.example.vn/admin/tickets/${code}`);
    // The resident's contact stays in the console.
    expect(m!.text).not.toContain("0905123456");
  });

  it("should post nothing for a unit without a staff group", async () => {
    const before = all.tg.storage.botMessages.length;
    await all.app.app.feedback.fileTicket({
      channel: "telegram",
      chatId: "5550001",
      unit: "xa-tan-loc",
      lang: "vi",
      category: "khac",
      text: "Đề nghị thêm ghế chờ",
      publishConsent: false,
    });
    await new Promise((r) => setTimeout(r, 300));
    const posted = all.tg.storage.botMessages.slice(before).map((u) => String(chatIdOf(u)));
    expect(posted).not.toContain(String(GROUP));
    expect(posted).toEqual([]);
  });
});
