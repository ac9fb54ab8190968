/**
 * End to end on Telegram: the real app and telegraf bot in long-polling mode against telegram-test-api
 * acting as Telegram's servers.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TelegramServer } from "../../helpers/telegram.js";
import { subscriberModel } from "../../../src/store/models/subscriber.js";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import {
  allText,
  botMessages,
  callbacks,
  startTelegramEmulator,
  TEST_TOKEN,
} from "../../helpers/telegram.js";

let tg: TelegramServer;
let app: TestApp;

beforeAll(async () => {
  tg = await startTelegramEmulator();
  app = await startTestApp({
    TELEGRAM_BOT_TOKEN: TEST_TOKEN,
    TELEGRAM_API_ROOT: tg.config.apiURL,
    FLOOD_BURST: "20",
    FLOOD_PER_SECOND: "2",
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent",
  });
});
afterAll(async () => {
  await app.close();
  await tg.stop();
});

describe("Telegram end to end", () => {
  it("should walk a citizen through start, unit, question, follow-up, hotline, language, subscribe and deletion", async () => {
    const chatId = 7001;
    const client = tg.getClient(TEST_TOKEN, { userId: chatId, chatId, firstName: "Lan" });

    await client.sendCommand(client.makeCommand("/start"));
    let got = await botMessages(tg, chatId);
    expect(allText(got)).toContain("Xin chào!");
    expect(got.at(-1)?.parse_mode).toBe("HTML");
    expect(callbacks(got)).toContain("u:phuong-hoa-an");

    await client.sendCallback(client.makeCallbackQuery("u:phuong-hoa-an"));
    got = await botMessages(tg, chatId);
    expect(allText(got)).toContain("Phường Hòa An");
    expect(callbacks(got)).toContain("m:hot");

    await client.sendMessage(client.makeMessage("lam giay khai sinh cho con can nhung gi"));
    got = await botMessages(tg, chatId);
    expect(allText(got)).toContain("<b>Đăng ký khai sinh</b> (mã 1.001193)");
    expect(allText(got)).toContain("Giấy chứng sinh");
    // The card (first of the answer's messages) carries the portal link; the papers asked for follow it.
    const urls = got
      .flatMap((m) => m.reply_markup?.inline_keyboard ?? [])
      .flat()
      .flatMap((b) => (b.url ? [b.url] : []));
    expect(urls).toContain("https://dichvucong.gov.vn/p/home/dvc-tim-kiem-thu-tuc.html");

    await client.sendMessage(client.makeMessage("phí bao nhiêu?"));
    got = await botMessages(tg, chatId);
    expect(allText(got)).toContain("Lệ phí: Miễn lệ phí khi đăng ký đúng hạn");

    await client.sendCallback(client.makeCallbackQuery("m:hot"));
    got = await botMessages(tg, chatId);
    expect(allText(got)).toContain("Tổ tư vấn thủ tục hành chính phường Hòa An");
    expect(allText(got)).toContain("<b>0xx-xxx-0102</b> (số mẫu)");

    await client.sendCallback(client.makeCallbackQuery("l:en"));
    got = await botMessages(tg, chatId);
    expect(allText(got)).toContain("Switched to English");

    await client.sendCallback(client.makeCallbackQuery("m:sub"));
    got = await botMessages(tg, chatId);
    expect(callbacks(got)).toContain("sub:on");
    await client.sendCallback(client.makeCallbackQuery("sub:on"));
    got = await botMessages(tg, chatId);
    expect(allText(got)).toContain("Subscribed");
    const Subs = subscriberModel(app.app.store.connection);
    expect(await Subs.findOne({ channel: "telegram", chatId: String(chatId) }).lean()).toMatchObject({
      lang: "en",
      unit: "phuong-hoa-an",
    });

    await client.sendCommand(client.makeCommand("/xoadulieu"));
    got = await botMessages(tg, chatId);
    expect(callbacks(got)).toEqual(["del:yes", "del:no"]);
    await client.sendCallback(client.makeCallbackQuery("del:yes"));
    got = await botMessages(tg, chatId);
    expect(allText(got)).toContain("Your data has been deleted");
    expect(await Subs.countDocuments({ channel: "telegram", chatId: String(chatId) })).toBe(0);
  }, 60_000);

  it("should escape HTML in what the citizen typed", async () => {
    const chatId = 7002;
    const client = tg.getClient(TEST_TOKEN, { userId: chatId, chatId });
    await client.sendMessage(client.makeMessage("<b>1.001193</b> & <i>x</i>"));
    const got = await botMessages(tg, chatId);
    expect(allText(got)).toContain("<b>Đăng ký khai sinh</b>");
    expect(allText(got)).not.toContain("<i>");
  });

  it("should ask a citizen flooding the bot to slow down, once, and stay up", async () => {
    const chatId = 7003;
    const client = tg.getClient(TEST_TOKEN, { userId: chatId, chatId });
    for (let i = 0; i < 50; i++) await client.sendMessage(client.makeMessage(`khai sinh ${i}`));
    const got = await botMessages(tg, chatId, 21, 15_000);
    const slow = got.filter((m) => m.text.includes("quá nhanh"));
    expect(slow).toHaveLength(1);
    expect(got.length).toBeLessThan(50);
    const other = tg.getClient(TEST_TOKEN, { userId: 7004, chatId: 7004 });
    await other.sendCommand(other.makeCommand("/start"));
    expect(allText(await botMessages(tg, 7004))).toContain("Xin chào!");
  }, 30_000);
});
